/** Pieces both card templates share: the «ДЕЛО» rows and the previous-number link. */
import type { SandboxCase, SandboxWorld, SudrfCourt, SudrfUrlFormKind } from '../data/world.types.ts';
import { cartotekaByKey } from './cartotekas.ts';
import { esc, ruDate } from './html.ts';

/** One «label: value» row of the «ДЕЛО» tab; `valueHtml` is already HTML. */
export interface CaseRow {
  label: string;
  valueHtml: string;
}

/**
 * Card URL in the court's form (TARGETS.md §1.2): primary `case_id/case_uid/delo_id/new`, or vnkod
 * `_id/_uid/_deloId/_caseType/_new` as the real Samara new-UI results link (search_results_samara_oblsud_by_uid.html).
 */
export function cardHref(c: Pick<SandboxCase, 'caseId' | 'caseUid' | 'srvNum' | 'cartoteka'>, form: SudrfUrlFormKind = 'primary'): string {
  const k = cartotekaByKey(c.cartoteka);
  if (form === 'vnkod') {
    const [deloId, caseType, newId] = k.vnkod;
    return `/modules.php?name=sud_delo&name_op=case&_id=${c.caseId}&_uid=${c.caseUid}&_deloId=${deloId}&_caseType=${caseType}&_new=${newId}&srv_num=${c.srvNum}`;
  }
  return `/modules.php?name=sud_delo&srv_num=${c.srvNum}&name_op=case&case_id=${c.caseId}&case_uid=${c.caseUid}&delo_id=${k.deloId}&new=${k.newId}`;
}

/** The «ДЕЛО» rows (category chain joined with `&nbsp;&rarr;<br>`, the arrow is not in CP1251) in the order real civil cards print them; empty values are left out as the site does. */
export function caseRows(world: SandboxWorld, court: SudrfCourt, c: SandboxCase, uidLinkHtml: string): CaseRow[] {
  const rows: CaseRow[] = [
    { label: 'Уникальный идентификатор дела', valueHtml: uidLinkHtml },
    { label: 'Дата поступления', valueHtml: ruDate(c.registeredAt) },
    // A КоАП card has no category row but the protocol's number (real card_oldtpl_leninsky_kirov_5-174-2026_koap.html).
    c.cartoteka === 'koap' || c.cartoteka === 'koap2'
      ? { label: 'Номер протокола об АП', valueHtml: `${String(c.caseId).slice(-8)}-АП` }
      : { label: 'Категория дела', valueHtml: c.categoryChain.map(esc).join('&nbsp;&rarr;<br>') },
    { label: 'Судья', valueHtml: esc(c.judge) },
  ];
  if (c.decision.date) rows.push({ label: 'Дата рассмотрения', valueHtml: ruDate(c.decision.date) });
  if (c.decision.result) rows.push({ label: 'Результат рассмотрения', valueHtml: esc(c.decision.result) });
  // No «Дата вступления в законную силу» row: none of the real first-instance cards in
  // fixtures/real/sudrf carries one (issue #14); the results list's column shows the date.
  rows.push({ label: 'Номер здания, название обособленного подразделения', valueHtml: esc(court.name) });
  rows.push({
    label: 'Признак рассмотрения дела',
    valueHtml: c.decision.date ? 'Рассмотрено единолично судьей' : 'Рассматривается единолично судьей',
  });
  if (c.previousNumbers.length > 0) {
    // After previous_registration_khimki_excerpt.html: a link to the earlier registration's card.
    const prev = world.cases.find((p) => p.host === c.host && p.caseNumber === c.previousNumbers[0]);
    const text = esc(c.previousNumbers.join('; '));
    rows.push({
      label: 'Номер по предыдущей регистрации',
      valueHtml: prev ? `<a href="${esc(cardHref(prev, court.urlForm))}">${text}</a>` : text,
    });
  }
  return rows;
}
