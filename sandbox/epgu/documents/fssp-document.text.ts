/**
 * The wording of the FSSP documents of the sandbox, as blocks of text (title lines, paragraphs,
 * signature). Pure: the renderer lays these blocks out on A4, and benchmarks use `documentPlainText`
 * as the ground truth for the character error rate. Wording follows the template forms of FSSP
 * orders № 238 / № 444 (постановление о возбуждении ИП, об окончании ИП, об удовлетворении и об
 * отказе в удовлетворении заявления (ходатайства), уведомление о ходе ИП).
 */
import type { FsspDocumentLayout, FsspDocumentSpec } from './fssp-document.types.ts';
import { personToGenitive } from './ru-genitive.ts';

/** One block of the page: a centred or left-aligned run of text, wrapped by the renderer. */
export interface TextBlock {
  text: string;
  align: 'left' | 'center' | 'right';
  bold?: boolean;
  /** Extra space before the block, in points. */
  spaceBefore?: number;
  /** First-line indent, in points. */
  indent?: number;
  /** A second column on the same line(s), drawn from the middle of the page (two-column headers). */
  right?: string;
  /** Drawn small inside a frame (an electronic-signature stamp). */
  framed?: boolean;
}

const LAW = 'Федерального закона от 02.10.2007 № 229-ФЗ «Об исполнительном производстве»';
const DEFAULT_SUBJECT = 'Задолженность по оплате жилищно-коммунальных услуг';

/** «DD.MM.YYYY» of an ISO date. */
export function ruDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** «12 345,67 руб.» with the NBSP grouping Intl prints (DOMAIN.md §4). */
export function ruMoney(rubles: number): string {
  return `${new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(rubles)} руб.`;
}

/** Ground «ст. 46 ч. 1 п. 3» as the law-text order «п. 3 ч. 1 ст. 46» documents use. */
function groundInLawOrder(ground: string): string {
  const m = /ст\.\s*(\d+)\s*ч\.\s*(\d+)\s*п\.\s*(\d+)/.exec(ground);
  return m ? `п. ${m[3]} ч. ${m[2]} ст. ${m[1]}` : ground;
}

/** Title and subtitle of a kind («ПОСТАНОВЛЕНИЕ», «о возбуждении исполнительного производства»). */
export function titleOfKind(kind: FsspDocumentSpec['kind']): [string, string] {
  switch (kind) {
    case 'ip_opened': return ['ПОСТАНОВЛЕНИЕ', 'о возбуждении исполнительного производства'];
    case 'ip_ended': return ['ПОСТАНОВЛЕНИЕ', 'об окончании исполнительного производства'];
    case 'motion_granted': return ['ПОСТАНОВЛЕНИЕ', 'об удовлетворении заявления (ходатайства)'];
    case 'motion_refused': return ['ПОСТАНОВЛЕНИЕ', 'об отказе в удовлетворении заявления (ходатайства)'];
    case 'progress_notice': return ['УВЕДОМЛЕНИЕ', 'о ходе исполнительного производства'];
    case 'ip_terminated': return ['ПОСТАНОВЛЕНИЕ', 'о прекращении исполнительного производства'];
    case 'ip_refused': return ['ПОСТАНОВЛЕНИЕ', 'об отказе в возбуждении исполнительного производства'];
  }
}

const layoutOf = (spec: FsspDocumentSpec): FsspDocumentLayout => spec.layout ?? 'classic';

/** «ст. 43 ч. 2 п. 4» of a прекращение when the spec names none. */
export const DEFAULT_TERMINATION_GROUND = 'ст. 43 ч. 2 п. 4';

/** The clause every form repeats: the executive document, the subject, the parties. */
function requisites(spec: FsspDocumentSpec): string {
  const d = spec.debtor;
  const e = spec.executiveDocument;
  // Writ blanks carry their own «№» («ФС № 026543134»); court orders get one before the case number.
  const number = /^(ФС|ВС|АС)[\s№]/.test(e.number) ? e.number : `№ ${e.number}`;
  const caseNo = e.caseNumber && e.caseNumber !== e.number ? ` по делу № ${e.caseNumber}` : '';
  const creditorAddress = spec.creditor.address ? `, адрес взыскателя: ${spec.creditor.address}` : '';
  if (layoutOf(spec) === 'genitive') {
    // Running prose: the parties in the genitive, birth data and place after the name.
    const genitiveType = /^судебный приказ$/i.test(e.type) ? e.type.replace(/ный приказ$/i, (m) => (m === m.toUpperCase() ? 'НОГО ПРИКАЗА' : 'ного приказа'))
      : /^исполнительный лист$/i.test(e.type) ? e.type.replace(/ный лист$/i, (m) => (m === m.toUpperCase() ? 'НОГО ЛИСТА' : 'ного листа')) : e.type;
    const birth = d.birthDate ? `, ${ruDate(d.birthDate)} года рождения` : '';
    const place = d.birthPlace ? `, уроженца ${d.birthPlace}` : '';
    return `${genitiveType} ${number} от ${ruDate(e.date)}, выданного ${e.issuer}${caseNo}, о взыскании задолженности ` +
      `(${spec.subject ?? DEFAULT_SUBJECT}) в размере ${ruMoney(spec.amount)} с должника ${personToGenitive(d.name)}${birth}${place}, ` +
      `проживающего по адресу: ${d.address}, в пользу взыскателя ${spec.creditor.name}, ИНН ${spec.creditor.inn}` +
      (spec.creditor.address ? ` (адрес: ${spec.creditor.address})` : '');
  }
  const birth = d.birthDate ? `, дата рождения: ${ruDate(d.birthDate)}` : '';
  const place = d.birthPlace ? `, место рождения: ${d.birthPlace}` : '';
  return `исполнительный документ: ${e.type} ${number} от ${ruDate(e.date)}, выданный органом: ${e.issuer}${caseNo}, ` +
    `предмет исполнения: ${spec.subject ?? DEFAULT_SUBJECT} в размере: ${ruMoney(spec.amount)}, ` +
    `в отношении должника: ${d.name}${birth}${place}, адрес должника: ${d.address}, ` +
    `в пользу взыскателя: ${spec.creditor.name}, ИНН ${spec.creditor.inn}${creditorAddress}`;
}

function body(spec: FsspDocumentSpec): TextBlock[] {
  const ip = `№ ${spec.ipNumber} от ${ruDate(spec.ipDate)}`;
  const p = (text: string, extra: Partial<TextBlock> = {}): TextBlock => ({ text, align: 'left', indent: 28, spaceBefore: 4, ...extra });
  const head = (text: string): TextBlock => ({ text, align: 'center', bold: true, spaceBefore: 8 });
  const intro = `Судебный пристав-исполнитель ${spec.department.name} ${spec.bailiff}, `;
  switch (spec.kind) {
    case 'ip_opened':
      return [
        p(`${intro}рассмотрев ${requisites(spec)},`),
        head('УСТАНОВИЛ:'),
        p('Исполнительный документ соответствует требованиям, предъявляемым к исполнительным документам, срок предъявления исполнительного документа к исполнению не истек.'),
        p(`На основании изложенного, руководствуясь ст. 6, 14, 30 ${LAW},`),
        head('ПОСТАНОВИЛ:'),
        p(`1. Возбудить исполнительное производство ${ip}.`),
        p('2. Установить должнику срок для добровольного исполнения требований, содержащихся в исполнительном документе, — 5 дней со дня получения должником копии настоящего постановления.'),
        p('3. Предупредить должника, что при неисполнении требований в срок для добровольного исполнения с него будет взыскан исполнительский сбор в размере 7 % от подлежащей взысканию суммы, но не менее 1 000 руб.'),
      ];
    case 'ip_ended': {
      const ground = spec.endGround ?? 'ст. 46 ч. 1 п. 3';
      return [
        p(`${intro}рассмотрев материалы исполнительного производства ${ip}, возбужденного на основании: ${requisites(spec)},`),
        head('УСТАНОВИЛ:'),
        p('В ходе исполнения требований исполнительного документа установлено, что невозможно установить местонахождение должника, его имущества либо получить сведения о наличии принадлежащих ему денежных средств. Сумма, взысканная по исполнительному производству, составляет 0,00 руб.'),
        p(`Руководствуясь ст. 6, 14, ${groundInLawOrder(ground)}, п. 3 ч. 1 ст. 47 ${LAW},`),
        head('ПОСТАНОВИЛ:'),
        p(`1. Окончить исполнительное производство ${ip}. Основание окончания: ${ground}.`),
        p('2. Исполнительный документ возвратить взыскателю. Взыскатель вправе повторно предъявить исполнительный документ к исполнению не ранее шести месяцев.'),
      ];
    }
    case 'motion_granted':
    case 'motion_refused': {
      const granted = spec.kind === 'motion_granted';
      return [
        p(`${intro}рассмотрев заявление (ходатайство) взыскателя по исполнительному производству ${ip}, возбужденному на основании: ${requisites(spec)},`),
        head('УСТАНОВИЛ:'),
        p(`Взыскатель обратился с заявлением (ходатайством): «${spec.motionText ?? 'Прошу предоставить сведения о ходе исполнительного производства'}». ` +
          (granted ? 'Обстоятельства, изложенные в заявлении (ходатайстве), подлежат удовлетворению.' : 'Заявленные требования не подлежат удовлетворению, поскольку запрошенные меры уже приняты.')),
        p(`Руководствуясь ст. 6, 14, 64.1 ${LAW},`),
        head('ПОСТАНОВИЛ:'),
        p(granted ? '1. Заявление (ходатайство) удовлетворить.' : '1. Отказать в удовлетворении заявления (ходатайства).'),
        p('2. Копию настоящего постановления направить взыскателю.'),
      ];
    }
    case 'ip_terminated': {
      const ground = spec.endGround ?? DEFAULT_TERMINATION_GROUND;
      return [
        p(`${intro}рассмотрев материалы исполнительного производства ${ip}, возбужденного на основании: ${requisites(spec)},`),
        head('УСТАНОВИЛ:'),
        p('Судебный акт, на основании которого выдан исполнительный документ, отменен.'),
        p(`Руководствуясь ст. 6, 14, ${groundInLawOrder(ground)}, ст. 44 ${LAW},`),
        head('ПОСТАНОВИЛ:'),
        p(`1. Прекратить исполнительное производство ${ip}.`),
        p('2. Отменить все назначенные меры принудительного исполнения.'),
      ];
    }
    case 'ip_refused':
      return [
        p(`${intro}рассмотрев ${requisites(spec)},`),
        head('УСТАНОВИЛ:'),
        p('Исполнительный документ предъявлен по истечении срока его предъявления к исполнению.'),
        p(`Руководствуясь ст. 14, п. 3 ч. 1 ст. 31 ${LAW},`),
        head('ПОСТАНОВИЛ:'),
        p('1. Отказать в возбуждении исполнительного производства.'),
        p('2. Исполнительный документ возвратить взыскателю.'),
      ];
    case 'progress_notice':
      return [
        p(`${intro}сообщает, что на исполнении находится исполнительное производство ${ip}, возбужденное на основании: ${requisites(spec)}.`),
        p('В рамках исполнительного производства направлены запросы в регистрирующие органы и кредитные организации, вынесены постановления об обращении взыскания на денежные средства должника. Сумма, взысканная по исполнительному производству, составляет 0,00 руб.'),
        p('Исполнительное производство находится на исполнении, меры принудительного исполнения продолжаются.'),
      ];
  }
}

/** The document's own number «02016/25/384756» (ОСП / YY / N), derived from the spec when absent. */
export function documentNumberOf(spec: FsspDocumentSpec): string {
  if (spec.documentNumber) return spec.documentNumber;
  let h = 7;
  for (const ch of `${spec.ipNumber}|${spec.kind}|${spec.decisionDate}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${spec.department.code}/${spec.decisionDate.slice(2, 4)}/${100000 + (h % 900000)}`;
}

/** Months in the genitive, for worded dates. */
const MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

/** «28 ноября 2025 г.» of an ISO date. */
export function ruWordedDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y} г.`;
}

/** «ПАВЛОВ П. И.» → «П. И. ПАВЛОВ» (signatures often put the initials first). */
function initialsFirst(name: string): string {
  const m = /^(\S+)\s+(\S\.)\s?(\S\.)$/.exec(name);
  return m ? `${m[2]} ${m[3]} ${m[1]}` : name;
}

/** The electronic-signature stamp under the signature. */
function stampBlocks(spec: FsspDocumentSpec): TextBlock[] {
  let h = 11;
  for (const ch of `${spec.ipNumber}|${spec.decisionDate}`) h = (h * 33 + ch.charCodeAt(0)) >>> 0;
  const serial = (h.toString(16) + 'a3c47be25f10b0a8e7c6d5f4e3a2').slice(0, 32);
  const year = Number(spec.decisionDate.slice(0, 4));
  return [
    { text: 'ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ', align: 'left', framed: true, spaceBefore: 10 },
    { text: `Сертификат: ${serial}`, align: 'left', framed: true },
    { text: `Владелец: ${spec.bailiff}`, align: 'left', framed: true },
    { text: `Действителен с 01.02.${year - 1} по 01.05.${year + 1}`, align: 'left', framed: true },
  ];
}

/** All blocks of the document, top to bottom. */
export function documentBlocks(spec: FsspDocumentSpec): TextBlock[] {
  const [title, subtitle] = titleOfKind(spec.kind);
  const layout = layoutOf(spec);
  const dateLine: TextBlock = { text: `${ruDate(spec.decisionDate)} № ${documentNumberOf(spec)}`, align: 'left', spaceBefore: 10 };
  const titleBlocks: TextBlock[] = [
    { text: title, align: 'center', bold: true, spaceBefore: 16 },
    { text: subtitle, align: 'center', bold: true },
  ];
  let header: TextBlock[];
  if (layout === 'two-column') {
    header = [
      { text: 'ФССП России', align: 'left', right: 'Взыскателю:' },
      { text: spec.department.name, align: 'left', right: spec.creditor.name },
      { text: spec.department.address, align: 'left', right: `Должнику: ${spec.debtor.name}` },
      ...titleBlocks,
      dateLine,
    ];
  } else if (layout === 'title-first') {
    header = [
      ...titleBlocks,
      { text: `от ${ruWordedDate(spec.decisionDate)}`, align: 'center', spaceBefore: 6 },
      { text: spec.department.name, align: 'left', spaceBefore: 10 },
      { text: spec.department.address, align: 'left' },
      { text: `Исх. № ${documentNumberOf(spec)}`, align: 'left' },
    ];
  } else {
    header = [
      { text: 'ФЕДЕРАЛЬНАЯ СЛУЖБА СУДЕБНЫХ ПРИСТАВОВ', align: 'center', bold: true },
      { text: spec.department.name, align: 'center' },
      { text: spec.department.address, align: 'center' },
      ...titleBlocks,
      dateLine,
    ];
  }
  const signer = layout === 'title-first' ? initialsFirst(spec.bailiff) : spec.bailiff;
  const blocks: TextBlock[] = [
    ...header,
    ...body(spec),
    { text: `Судебный пристав-исполнитель ${signer}`, align: 'left', spaceBefore: 22 },
    ...(spec.stamp ? stampBlocks(spec) : []),
  ];
  return layout === 'caps' ? blocks.map((b) => ({ ...b, text: b.text.toUpperCase(), ...(b.right ? { right: b.right.toUpperCase() } : {}) })) : blocks;
}

/** The document's text, one block per line: the ground truth for OCR error rates. */
export function documentPlainText(spec: FsspDocumentSpec): string {
  return documentBlocks(spec).map((b) => (b.right ? `${b.text}\n${b.right}` : b.text)).join('\n');
}
