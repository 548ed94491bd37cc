/**
 * The wording of the FSSP documents of the sandbox, as blocks of text (title lines, paragraphs,
 * signature). Pure: the renderer lays these blocks out on A4, and benchmarks use `documentPlainText`
 * as the ground truth for the character error rate. Wording follows the template forms of FSSP
 * orders № 238 / № 444 (постановление о возбуждении ИП, об окончании ИП, об удовлетворении и об
 * отказе в удовлетворении заявления (ходатайства), уведомление о ходе ИП).
 */
import type { FsspDocumentSpec } from './fssp-document.types.ts';

/** One block of the page: a centred or left-aligned run of text, wrapped by the renderer. */
export interface TextBlock {
  text: string;
  align: 'left' | 'center' | 'right';
  bold?: boolean;
  /** Extra space before the block, in points. */
  spaceBefore?: number;
  /** First-line indent, in points. */
  indent?: number;
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

function titleOf(spec: FsspDocumentSpec): [string, string] {
  switch (spec.kind) {
    case 'ip_opened': return ['ПОСТАНОВЛЕНИЕ', 'о возбуждении исполнительного производства'];
    case 'ip_ended': return ['ПОСТАНОВЛЕНИЕ', 'об окончании исполнительного производства'];
    case 'motion_granted': return ['ПОСТАНОВЛЕНИЕ', 'об удовлетворении заявления (ходатайства)'];
    case 'motion_refused': return ['ПОСТАНОВЛЕНИЕ', 'об отказе в удовлетворении заявления (ходатайства)'];
    case 'progress_notice': return ['УВЕДОМЛЕНИЕ', 'о ходе исполнительного производства'];
  }
}

/** The clause every form repeats: the executive document, the subject, the parties. */
function requisites(spec: FsspDocumentSpec): string {
  const d = spec.debtor;
  const birth = d.birthDate ? `, дата рождения: ${ruDate(d.birthDate)}` : '';
  const e = spec.executiveDocument;
  // Writ blanks carry their own «№» («ФС № 026543134»); court orders get one before the case number.
  const number = /^(ФС|ВС|АС)[\s№]/.test(e.number) ? e.number : `№ ${e.number}`;
  return `исполнительный документ: ${e.type} ${number} от ${ruDate(e.date)}, выданный органом: ${e.issuer}, ` +
    `предмет исполнения: ${spec.subject ?? DEFAULT_SUBJECT} в размере: ${ruMoney(spec.amount)}, ` +
    `в отношении должника: ${d.name}${birth}, адрес должника: ${d.address}, ` +
    `в пользу взыскателя: ${spec.creditor.name}, ИНН ${spec.creditor.inn}`;
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

/** All blocks of the document, top to bottom. */
export function documentBlocks(spec: FsspDocumentSpec): TextBlock[] {
  const [title, subtitle] = titleOf(spec);
  return [
    { text: 'ФЕДЕРАЛЬНАЯ СЛУЖБА СУДЕБНЫХ ПРИСТАВОВ', align: 'center', bold: true },
    { text: spec.department.name, align: 'center' },
    { text: spec.department.address, align: 'center' },
    { text: title, align: 'center', bold: true, spaceBefore: 16 },
    { text: subtitle, align: 'center', bold: true },
    { text: `${ruDate(spec.decisionDate)} № ${documentNumberOf(spec)}`, align: 'left', spaceBefore: 10 },
    ...body(spec),
    { text: `Судебный пристав-исполнитель ${spec.bailiff}`, align: 'left', spaceBefore: 22 },
  ];
}

/** The document's text, one block per line: the ground truth for OCR error rates. */
export function documentPlainText(spec: FsspDocumentSpec): string {
  return documentBlocks(spec).map((b) => b.text).join('\n');
}
