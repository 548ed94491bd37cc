/**
 * Readers of the sections of a sudrf case card, shared by both templates: the «ДЕЛО» label/value
 * table, the events list, the parties list and the «ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ» list.
 * Columns are found by header text (exact, then prefix, then substring), never by position:
 * courts order and name them differently (written against card_oldtpl_syktyvkar_2-7212-2025,
 * card_newtpl_zavolzhsky_ulyanovsk_2-5-2026, card_newtpl_samara_oblsud_33a-647-2026).
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { CaseEvent, CaseParty, ExecutionDocument } from '../../core/records.ts';
import { LayoutDriftError } from '../../core/errors.ts';
import { mapColumns } from '../common/columns.ts';
import { normalizeRole } from '../common/party-role.ts';
import { parseRuDate, parseTime } from '../common/ru-date.ts';
import { elementText, textOrNull } from '../common/text.ts';
import { cellAt, readGrid, readPairs } from './sudrf-dom.ts';

/** Event columns; specific names first so «Дата размещения» is not taken for «Дата». */
const EVENT_COLUMNS = {
  publishedAt: ['Дата размещения'],
  basis: ['Основание для выбранного результата события', 'Основания для выбранного результата события', 'Основание для выбранного результата', 'Основани'],
  name: ['Наименование события', 'Событие'],
  date: ['Дата', 'Дата события'],
  time: ['Время', 'Время слушания', 'Время события'],
  place: ['Место проведения', 'Зал судебного заседания', 'Зал'],
  result: ['Результат события', 'Результат'],
  note: ['Примечание'],
} as const;

const PARTY_COLUMNS = {
  role: ['Вид лица, участвующего в деле', 'Процессуальный статус лица, участвующего в деле', 'Процессуальный статус', 'Вид лица'],
  name: ['Фамилия / наименование', 'Лицо, участвующее в деле (ФИО, наименование)', 'Фамилия', 'наименование'],
  inn: ['ИНН'],
  kpp: ['КПП'],
  ogrnip: ['ОГРНИП'],
  ogrn: ['ОГРН', 'ОГРН / ОГРНИП'],
} as const;

const EXECUTION_COLUMNS = {
  issuedAt: ['Дата выдачи'],
  electronicId: ['Номер электронного ИД', 'электронного'],
  seriesNumber: ['Серия, номер бланка', 'Серия номер бланка', 'Серия'],
  status: ['Статус'],
  recipient: ['Кому выдан / направлен', 'Кому выдан', 'Кому'],
} as const;

/** Labels of the «ДЕЛО» pane; exact or prefix only (see mapColumns). */
const CASE_LABELS = {
  uid: ['Уникальный идентификатор дела'],
  registeredAt: ['Дата поступления'],
  category: ['Категория дела', 'Категория'],
  judge: ['Судья', 'Председательствующий судья', 'Докладчик'],
  decisionDate: ['Дата рассмотрения', 'Дата решения', 'Дата рассмотрения дела в отношении лица'],
  decisionResult: ['Результат рассмотрения', 'Решение', 'Результат в отношении лица'],
  effectiveAt: ['Дата вступления в законную силу', 'Дата вступления'],
  previousRegistration: ['Номер по предыдущей регистрации'],
} as const;

/** The «ДЕЛО» pane as raw strings keyed by field; absent labels are null. */
export type CaseFields = Record<keyof typeof CASE_LABELS, string | null>;

/**
 * Reads the label/value table of the «ДЕЛО» pane. `cells`, when given, receives the value cell of
 * each field found (for the parse trace).
 */
export function readCaseFields($: CheerioAPI, table: AnyNode, cells?: Partial<Record<keyof CaseFields, Element>>): CaseFields {
  const bold = readPairs($, table);
  const pairs = bold.length > 0 ? bold : readPairs($, table, true);
  const index = mapColumns(pairs.map(([label]) => label), CASE_LABELS, { allowSubstring: false });
  const out = {} as CaseFields;
  for (const field of Object.keys(CASE_LABELS) as Array<keyof typeof CASE_LABELS>) {
    const i = index[field];
    const pair = i === undefined ? undefined : pairs[i];
    out[field] = pair ? textOrNull(elementText($, pair[1])) : null;
    if (pair && cells) cells[field] = pair[1];
  }
  return out;
}

/** True when a label/value table looks like the «ДЕЛО» pane (has the UID or the arrival date). */
export function looksLikeCaseTable($: CheerioAPI, table: AnyNode): boolean {
  return readPairs($, table, true).some(([label]) => /Уникальный идентификатор дела|Дата поступления/i.test(label));
}

function gridOrDrift($: CheerioAPI, table: AnyNode, pane: string, aliases: Readonly<Record<string, readonly string[]>>) {
  const grid = readGrid($, table, aliases);
  if (!grid) throw new LayoutDriftError(`sudrf card: no header row in the «${pane}» table`, { selector: `${pane} table header row` });
  return grid;
}

/** A row's cells by field (undefined = no such column), for the parse trace. */
export type RowCells = Record<string, Element | undefined>;

const rowCells = (row: Element[], col: Record<string, number | undefined>): RowCells =>
  Object.fromEntries(Object.entries(col).map(([k, i]) => [k, i === undefined ? undefined : row[i]]));

/** Every row of an events table («ДВИЖЕНИЕ ДЕЛА», «СЛУШАНИЯ»); `onRow` receives each row's cells by field. */
export function readEvents($: CheerioAPI, table: AnyNode, pane: string, onRow?: (cells: RowCells) => void): CaseEvent[] {
  const grid = gridOrDrift($, table, pane, EVENT_COLUMNS);
  const col = mapColumns(grid.headers, EVENT_COLUMNS);
  if (col.name === undefined || col.date === undefined) {
    throw new LayoutDriftError(`sudrf card: «${pane}» has no event name/date columns`, {
      selector: `${pane} header «Наименование события»/«Дата»`,
      details: { headers: grid.headers },
    });
  }
  if (onRow) for (const row of grid.rows) onRow(rowCells(row, col));
  return grid.rows.map((row) => ({
    name: cellAt($, row, col.name),
    date: parseRuDate(cellAt($, row, col.date)),
    time: parseTime(cellAt($, row, col.time)),
    place: textOrNull(cellAt($, row, col.place)),
    result: textOrNull(cellAt($, row, col.result)),
    basis: textOrNull(cellAt($, row, col.basis)),
    note: textOrNull(cellAt($, row, col.note)),
    publishedAt: parseRuDate(cellAt($, row, col.publishedAt)),
  }));
}

/**
 * Every row of a parties table. A table without a role column (criminal «ЛИЦА»: the accused)
 * gets the pane title as its role.
 */
export function readParties($: CheerioAPI, table: AnyNode, pane: string, onRow?: (cells: RowCells) => void): CaseParty[] {
  const grid = gridOrDrift($, table, pane, PARTY_COLUMNS);
  const col = mapColumns(grid.headers, PARTY_COLUMNS);
  if (col.name === undefined) {
    throw new LayoutDriftError(`sudrf card: «${pane}» has no party name column`, {
      selector: `${pane} header «Фамилия / наименование»`,
      details: { headers: grid.headers },
    });
  }
  if (onRow) for (const row of grid.rows) onRow(rowCells(row, col));
  return grid.rows.map((row: Element[]) => {
    const role = col.role === undefined ? pane : cellAt($, row, col.role);
    let ogrn = textOrNull(cellAt($, row, col.ogrn));
    let ogrnip = textOrNull(cellAt($, row, col.ogrnip));
    // «ОГРН / ОГРНИП» is one column in the new template: 15 digits is an ОГРНИП, 13 an ОГРН.
    if (ogrn && !ogrnip && /^\d{15}$/.test(ogrn)) [ogrn, ogrnip] = [null, ogrn];
    return {
      role,
      roleNorm: normalizeRole(role),
      name: cellAt($, row, col.name),
      inn: textOrNull(cellAt($, row, col.inn)),
      kpp: textOrNull(cellAt($, row, col.kpp)),
      ogrn,
      ogrnip,
    };
  });
}

/** Every row of an «ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ» table (card pane or a bare table). */
export function readExecutionDocuments($: CheerioAPI, table: AnyNode): ExecutionDocument[] {
  const grid = gridOrDrift($, table, 'ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ', EXECUTION_COLUMNS);
  const col = mapColumns(grid.headers, EXECUTION_COLUMNS);
  if (col.issuedAt === undefined && col.seriesNumber === undefined && col.electronicId === undefined) {
    throw new LayoutDriftError('sudrf card: «ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ» has none of its columns', {
      selector: 'ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ header «Дата выдачи»',
      details: { headers: grid.headers },
    });
  }
  return grid.rows.map((row) => ({
    issuedAt: parseRuDate(cellAt($, row, col.issuedAt)),
    seriesNumber: textOrNull(cellAt($, row, col.seriesNumber)),
    electronicId: textOrNull(cellAt($, row, col.electronicId)),
    status: textOrNull(cellAt($, row, col.status)),
    recipient: textOrNull(cellAt($, row, col.recipient)),
  }));
}

/** The «ДЕЛО» fields of a card that does not show that pane: every field absent. */
export function emptyCaseFields(): CaseFields {
  return Object.fromEntries(Object.keys(CASE_LABELS).map((k) => [k, null])) as CaseFields;
}
