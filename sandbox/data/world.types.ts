/**
 * The sandbox world: courts, creditors, debtors and their cases, as the replicas serve them.
 * Dates are ISO `YYYY-MM-DD` (court-local calendar dates), times `HH:MM`; absent values are `null`.
 */
import type { CaseStatus, PartyRoleNorm } from '../../core/records.ts';
import type { Gender } from './names.ts';

/**
 * A sudrf cartoteka (case register): civil first instance / appeal, КАС first instance / appeal,
 * КоАП first instance, КоАП complaints (12-…), materials (М-…, 13-…). sandbox/sudrf/cartotekas.ts
 * names their ids in both URL forms.
 */
export type SudrfCartotekaKey = 'civil1' | 'civil2' | 'kas1' | 'kas2' | 'koap' | 'koap2' | 'material';

/**
 * The URL form a court answers (a real court answers one, the other gets «Данных по запросу не
 * обнаружено»): `primary` (`delo_id=…&new=…`, `case_id/case_uid`, `g1_case__…` fields) or `vnkod`
 * (the new UI: `_deloId/case__case_type/_new`, `_id/_uid`, `case__…` fields and the court code).
 */
export type SudrfUrlFormKind = 'primary' | 'vnkod';

/** Which sudrf page template a court's site uses (TARGETS.md §1.4). */
export type SudrfTemplate = 'old' | 'new';

/** One federal district court on `*.sudrf.ru`. */
export interface SudrfCourt {
  /** Host without port, e.g. `leninsky.bkr.sudrf.ru` or `oktyabrsky--spb.sudrf.ru`. */
  host: string;
  /** Court code («vnkod»): region + `RS` + 4 digits, e.g. `02RS0004`. */
  code: string;
  /** «Ленинский районный суд г. Уфы». */
  name: string;
  regionCode: string;
  regionName: string;
  /** City in the nominative, for addresses: «Уфа». */
  city: string;
  template: SudrfTemplate;
  /** Whether `name_op=r` searches need a solved captcha (cards never do). */
  hasSearchCaptcha: boolean;
  /** URL form the court answers; the other form gets the empty answer. */
  urlForm: SudrfUrlFormKind;
  /** Cartotekas the court keeps (searched in another, a number gets the empty answer). */
  cartotekas: SudrfCartotekaKey[];
  /** Number of database servers (`srv_num` 1..srvNum); each case lives on exactly one. */
  srvNum: number;
  /** Judges as «Фамилия И.О.». */
  judges: string[];
  /** Bailiff departments (ОСП) electronic executive documents are sent to. */
  bailiffDepartments: string[];
  /** Hearing rooms, for the «Место проведения» column. */
  rooms: string[];
}

/** Kind of creditor in ЖКХ collection. */
export type CreditorKind = 'uk' | 'tszh' | 'rso' | 'capital_repair';

/** A utility company that files for court orders / claims. */
export interface Creditor {
  id: string;
  kind: CreditorKind;
  /** Name as courts print it, e.g. «ООО "УК "Жилкомфорт"». */
  name: string;
  inn: string;
  kpp: string;
  ogrn: string;
  regionCode: string;
}

/** A person with a utility debt. */
export interface Debtor {
  id: string;
  lastName: string;
  firstName: string;
  middleName: string;
  gender: Gender;
  fullName: string;
  birthDate: string;
  address: string;
  regionCode: string;
}

/** A party row of the «СТОРОНЫ» tab. */
export interface SandboxParty {
  /** Role exactly as the site prints it: ИСТЕЦ, ЗАЯВИТЕЛЬ, ОТВЕТЧИК, ДОЛЖНИК, ПРЕДСТАВИТЕЛЬ, ТРЕТЬЕ ЛИЦО. */
  role: string;
  roleNorm: PartyRoleNorm;
  name: string;
  inn: string | null;
  kpp: string | null;
  ogrn: string | null;
  ogrnip: string | null;
}

/** A row of «ДВИЖЕНИЕ ДЕЛА». */
export interface SandboxEvent {
  name: string;
  date: string;
  time: string | null;
  place: string | null;
  result: string | null;
  basis: string | null;
  note: string | null;
  /** «Дата размещения». */
  publishedAt: string;
}

/** A row of «ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ». */
export interface SandboxExecutionDocument {
  issuedAt: string;
  /** «ФС № 0xxxxxxxx», or null for an electronic document. */
  seriesNumber: string | null;
  /** «<code>#<case no>#<n>», or null for a paper writ. */
  electronicId: string | null;
  status: string;
  /** «Взыскатель» or the ОСП the electronic document went to. */
  recipient: string;
}

/** What a case is: an application for a court order (приказное производство) or a claim (иск). */
export type SandboxCaseKind = 'court_order' | 'claim';

/** One case of one court: civil first instance (`delo_id=1540005`) in `world.cases`, the other cartotekas in `world.cartotekaCases`. */
export interface SandboxCase {
  host: string;
  courtCode: string;
  kind: SandboxCaseKind;
  /** The register it is kept in (`civil1` for every case of `world.cases`). */
  cartoteka: SudrfCartotekaKey;
  /** Server the case lives on (`srv_num`). */
  srvNum: number;
  /** «2-1234/2025». */
  caseNumber: string;
  /** «М-987/2025», or null. */
  materialNumber: string | null;
  /** Earlier numbers of the same case, newest first, e.g. ['2-13/2025']. */
  previousNumbers: string[];
  /** As the card header and results list print it: «2-5/2026 (2-13/2025;) ~ М-2773/2024». */
  displayNumber: string;
  /** Court UID (УИД). */
  uid: string;
  /** sudrf internal `case_id`. */
  caseId: number;
  /** sudrf internal `case_uid` (lowercase UUID). */
  caseUid: string;
  /** Category chain, most general first; the page joins it with «&nbsp;→<br>». */
  categoryChain: string[];
  /** The chain joined with « → ». */
  category: string;
  judge: string;
  registeredAt: string;
  decision: { date: string | null; result: string | null };
  /**
   * The day the act entered into force (the world's truth). The results list's «Дата вступления в
   * законную силу» column shows it; the card does not (real sudrf cards almost never carry the row,
   * issue #14), so a reader of the card alone gets it only by law (scheduler/case-finality.ts).
   */
  effectiveAt: string | null;
  /** The case's state in the world (in_force once `effectiveAt` has passed). */
  status: CaseStatus;
  /** What a correct parser should conclude from the card alone (DESIGN.md §Contracts `status`): no in-force row, so `in_force` reads as `order_issued` / `decided`. */
  cardStatus: CaseStatus;
  creditorId: string;
  debtorId: string;
  /** Claimed debt in kopecks. */
  amountKopecks: number;
  parties: SandboxParty[];
  events: SandboxEvent[];
  executionDocuments: SandboxExecutionDocument[];
}

/** The whole generated data set. */
export interface SandboxWorld {
  seed: number;
  /** The generator's "today": nothing in the world happens after it. */
  asOf: string;
  courts: SudrfCourt[];
  creditors: Creditor[];
  debtors: Debtor[];
  /** Civil first-instance ЖКХ cases (what FSSP, EPGU and the other replicas derive from). */
  cases: SandboxCase[];
  /**
   * Cases of every cartoteka with fixed numbers, so a test can name them by hand (cartoteka-cases.generator.ts):
   * on court `i` (0-based, world order) the k-th (k = 1, 2) case of a kind is `<prefix>-<7000 + 10·i + k>/2026`.
   */
  cartotekaCases: SandboxCase[];
}
