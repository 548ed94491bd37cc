/**
 * Cases of every sudrf cartoteka, with numbers fixed by rule so a test names them by hand: on court
 * `i` (0-based, world order) the k-th (k = 1, 2) case of a kind is `<prefix>-<7000 + 10·i + k>/2026`,
 * registered in 2026; the k = 2 case lives on the court's last database server. Prefixes as real
 * dockets number them (TARGETS.md §1.3): 2 civil, 33 civil appeal, 2а КАС, 33а КАС appeal, 5 КоАП,
 * 12 КоАП complaints, М and 13 materials (one of each in the materials register). Everything else
 * (dates, judge, parties, UIDs) is drawn from the court's own PRNG stream.
 */
import { addDays, addWorkingDays, toWorkingDay } from './dates.ts';
import { courtUid } from './identifiers.ts';
import { generateName } from './names.ts';
import type { Prng } from './prng.ts';
import type { SandboxCase, SandboxParty, SudrfCartotekaKey, SudrfCourt } from './world.types.ts';

/** Number prefix, category and the roles of the two parties, per kind of case. */
interface KindSpec {
  cartoteka: SudrfCartotekaKey;
  prefix: string;
  category: string[];
  roles: [string, string];
  result: string;
}

const KINDS: readonly KindSpec[] = [
  { cartoteka: 'civil1', prefix: '2', category: ['Жилищные споры', 'Иски о взыскании платы за жилую площадь и коммунальные платежи, тепло и электроэнергию'], roles: ['ИСТЕЦ', 'ОТВЕТЧИК'], result: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' },
  { cartoteka: 'civil2', prefix: '33', category: ['Жилищные споры', 'Иски о взыскании платы за жилую площадь и коммунальные платежи, тепло и электроэнергию'], roles: ['ИСТЕЦ', 'ОТВЕТЧИК'], result: 'РЕШЕНИЕ оставлено БЕЗ ИЗМЕНЕНИЯ' },
  { cartoteka: 'kas1', prefix: '2а', category: ['3.025 - Гл. 22 КАС РФ', 'об оспаривании решений, действий (бездействия) органов местного самоуправления'], roles: ['АДМИНИСТРАТИВНЫЙ ИСТЕЦ', 'АДМИНИСТРАТИВНЫЙ ОТВЕТЧИК'], result: 'Требования удовлетворены' },
  { cartoteka: 'kas2', prefix: '33а', category: ['3.025 - Гл. 22 КАС РФ', 'об оспаривании решений, действий (бездействия) органов местного самоуправления'], roles: ['АДМИНИСТРАТИВНЫЙ ИСТЕЦ', 'АДМИНИСТРАТИВНЫЙ ОТВЕТЧИК'], result: 'РЕШЕНИЕ оставлено БЕЗ ИЗМЕНЕНИЯ' },
  { cartoteka: 'koap', prefix: '5', category: ['Статья 7.23 Части 1'], roles: ['ЛИЦО, В ОТНОШЕНИИ КОТОРОГО ВЕДЕТСЯ ПРОИЗВОДСТВО ПО ДЕЛУ', 'ПОТЕРПЕВШИЙ'], result: 'Вынесено постановление о назначении административного наказания (п.1 ч.1 ст.29.9 КоАП РФ)' },
  { cartoteka: 'koap2', prefix: '12', category: ['Статья 12.9 Части 2'], roles: ['ЗАЯВИТЕЛЬ', 'ЛИЦО, В ОТНОШЕНИИ КОТОРОГО ВЕДЕТСЯ ПРОИЗВОДСТВО ПО ДЕЛУ'], result: 'Оставлено без изменения' },
  { cartoteka: 'material', prefix: 'М', category: ['Жилищные споры', 'Иски о взыскании платы за жилую площадь и коммунальные платежи, тепло и электроэнергию'], roles: ['ИСТЕЦ', 'ОТВЕТЧИК'], result: 'Исковое заявление ВОЗВРАЩЕНО заявителю' },
  { cartoteka: 'material', prefix: '13', category: ['Материалы в порядке исполнения судебных решений'], roles: ['ЗАЯВИТЕЛЬ', 'ДОЛЖНИК'], result: 'Удовлетворено' },
];

/** The fixed number of the k-th case of `prefix` on court `courtIndex` (see the file header). */
export function cartotekaCaseNumber(prefix: string, courtIndex: number, k: 1 | 2): string {
  return `${prefix}-${7000 + 10 * courtIndex + k}/2026`;
}

/** Every kind's two cases for one court. */
export function generateCartotekaCases(rng: Prng, court: SudrfCourt, courtIndex: number, asOf: string): SandboxCase[] {
  const out: SandboxCase[] = [];
  KINDS.forEach((spec, kindIndex) => {
    if (!court.cartotekas.includes(spec.cartoteka)) return;
    for (const k of [1, 2] as const) {
      const caseNumber = cartotekaCaseNumber(spec.prefix, courtIndex, k);
      const registeredAt = toWorkingDay(addDays(asOf, -rng.int(60, 160)));
      const decidedAt = addWorkingDays(registeredAt, rng.int(10, 30));
      const judge = rng.pick(court.judges);
      const room = rng.pick(court.rooms);
      const first = generateName(rng).fullName;
      const second = generateName(rng).fullName;
      const parties: SandboxParty[] = [
        { role: spec.roles[0], roleNorm: 'other', name: first, inn: null, kpp: null, ogrn: null, ogrnip: null },
        { role: spec.roles[1], roleNorm: 'other', name: second, inn: null, kpp: null, ogrn: null, ogrnip: null },
      ];
      out.push({
        host: court.host, courtCode: court.code, kind: 'claim', cartoteka: spec.cartoteka,
        srvNum: k === 1 ? 1 : court.srvNum,
        caseNumber, materialNumber: null, previousNumbers: [], displayNumber: caseNumber,
        uid: courtUid(court.code, 2026, 900_000 + courtIndex * 100 + kindIndex * 10 + k, rng.int(0, 99)),
        // Far above the civil docket's ids (10⁷…3·10⁸), so a card id names one case of the court.
        caseId: 900_000_000 + courtIndex * 1000 + kindIndex * 10 + k, caseUid: rng.uuid(),
        categoryChain: spec.category, category: spec.category.join(' → '),
        judge, registeredAt,
        decision: { date: decidedAt, result: spec.result },
        effectiveAt: null, status: 'decided', cardStatus: 'decided',
        creditorId: '', debtorId: '', amountKopecks: 0,
        parties,
        events: [
          { name: 'Регистрация поступившего в суд дела', date: registeredAt, time: '09:15', place: null, result: null, basis: null, note: null, publishedAt: registeredAt },
          { name: 'Передача дела судье', date: registeredAt, time: '11:06', place: null, result: null, basis: null, note: null, publishedAt: registeredAt },
          { name: 'Судебное заседание', date: decidedAt, time: '10:00', place: room, result: 'Рассмотрено', basis: null, note: null, publishedAt: decidedAt },
        ],
        executionDocuments: [],
      });
    }
  });
  return out;
}
