/**
 * Normalized records shared by parsers, robots, storage and the CLI.
 * Field names follow DESIGN.md §Contracts and are relied on downstream: rename nothing.
 * Dates are ISO `YYYY-MM-DD` calendar dates (court-local); absent values are `null`.
 */

/** What every parser receives besides the page itself. Parsers never read the clock. */
export interface ParseContext {
  /** The URL the page was fetched from; gives the court host and ids from the query string. */
  url?: string | null;
  /** When the page was fetched (ISO timestamp), recorded as provenance only. */
  fetchedAt?: string | null;
}

export type PartyRoleNorm = 'claimant' | 'debtor' | 'representative' | 'third_party' | 'other';

export type CaseStatus =
  | 'received'
  | 'accepted'
  | 'order_issued'
  | 'in_force'
  | 'refused'
  | 'returned'
  | 'cancelled'
  | 'decided'
  | 'unknown';

export interface CourtIdentity {
  /** Court name as the page shows it, or null. */
  name: string | null;
  /** Site host, e.g. `leninsky--ufa.sudrf.ru` (from the URL or the page). */
  host: string | null;
  /** Court code («vnkod»), e.g. `02RS0001`, from the page counter or the UID. */
  code: string | null;
  /** Magistrate участок number as the site names it (mirsud.spb.ru, mos-sud.ru: from the link), e.g. `98`. */
  section?: string | null;
}

export interface CaseParty {
  /** Role exactly as the page writes it, e.g. «ИСТЕЦ», «Взыскатель». */
  role: string;
  roleNorm: PartyRoleNorm;
  name: string;
  inn?: string | null;
  kpp?: string | null;
  ogrn?: string | null;
  ogrnip?: string | null;
}

export interface CaseEvent {
  name: string;
  date: string | null;
  /** `HH:MM` or null. */
  time: string | null;
  place?: string | null;
  result: string | null;
  basis: string | null;
  note?: string | null;
  publishedAt?: string | null;
}

export interface ExecutionDocument {
  issuedAt: string | null;
  /** «ФС № 049373812». */
  seriesNumber: string | null;
  /** Electronic executive document id «11RS0001#2-7212/2025#4». */
  electronicId: string | null;
  status: string | null;
  recipient: string | null;
}

/** One complaint against a decision: when filed, and when and how the higher court ruled (null while pending). */
export interface CaseAppeal {
  /** «Апелляционная жалоба (на не вступивший в силу судебный акт)». */
  kind: string | null;
  filedAt: string | null;
  decidedAt: string | null;
  result: string | null;
}

export interface CourtCaseRecord {
  court: CourtIdentity;
  /** Current display number without the material part, e.g. «2-7212/2025». */
  caseNumber: string | null;
  /** Material number after «~», e.g. «М-5922/2025», or null. */
  materialNumber?: string | null;
  previousNumbers: string[];
  /** Court UID (УИД), e.g. `11RS0001-01-2025-011255-03`, or null. */
  uid: string | null;
  /** Site-internal ids from the URL or links: sudrf `case_id` / `case_uid`. */
  caseId?: string | null;
  caseUid?: string | null;
  /** Instance title, e.g. «Гражданские дела - первая инстанция». */
  instance?: string | null;
  category: string | null;
  judge: string | null;
  registeredAt: string | null;
  decision: { date: string | null; result: string | null };
  effectiveAt: string | null;
  /**
   * How `effectiveAt` was obtained: `shown` on the page (card row, results-list column, movement
   * row, a writ issued) or `derived` by law from the decision and the deadlines (scheduler/case-finality.ts).
   * Parsers set `shown` (or leave it absent: a non-null `effectiveAt` from a parser is shown).
   */
  effectiveAtSource?: 'shown' | 'derived' | null;
  /** Where it was shown (`shown_card`, `shown_results_list`, …) or the rule id it was derived by (`gpk-128-130-order`, …). */
  effectiveAtRule?: string | null;
  status: CaseStatus;
  parties: CaseParty[];
  events: CaseEvent[];
  executionDocuments: ExecutionDocument[];
  /** Complaints against the decision (the «ОБЖАЛОВАНИЕ РЕШЕНИЙ» tab), when the parser reads them. */
  appeals?: CaseAppeal[];
  /** Which page template the parser recognised, e.g. `sudrf-old`, `sudrf-new`. */
  template: string;
}

export interface CourtSearchRow {
  caseNumber: string;
  /** Absolute URL of the case card when the context URL is known, else as written. */
  url: string | null;
  registeredAt: string | null;
  judge: string | null;
  decisionDate: string | null;
  result: string | null;
  effectiveAt?: string | null;
  /** The court of the row where the list spans courts (r_juid «Суд» column), else absent. */
  courtName?: string | null;
  /** «Информация по делу» split: category and parties as the list shows them. */
  category?: string | null;
  caseId?: string | null;
  caseUid?: string | null;
}

export interface CourtSearchResult {
  total: number;
  cases: CourtSearchRow[];
  /** 1-based page shown and the next page number, or null on the last page. */
  page?: number;
  nextPage?: number | null;
  template: string;
}

/**
 * One enforcement proceeding (исполнительное производство) as the FSSP bank prints it
 * (TARGETS.md §3.2/§3.3). Money is a number in rubles; dates ISO; absent values null.
 */
export interface EnforcementProceeding {
  /** «102021/20/02003-ИП» (always Cyrillic `-ИП`, also when read from the Latin `data-ip`). */
  ipNumber: string;
  ipDate: string | null;
  /** Consolidated proceeding «5965/19/02003-СД», or null. */
  sdNumber: string | null;
  /** Person: ФИО, birth date, birth place/address. Legal entity: name, null, address. */
  debtor: { name: string; birthDate: string | null; birthPlace: string | null };
  /** «Судебный приказ» / «Исполнительный лист» …, its date, number («2-2470/2019», «ФС № 018384864») and issuer. */
  executiveDocument: { type: string | null; date: string | null; number: string | null; issuer: string | null };
  /** Further lines of the document cell, e.g. «Постановление о взыскании исполнительского сбора». */
  extraDocuments?: string[];
  /** Date and ground of ending (229-ФЗ «ст. 46 ч. 1 п. 3» → '46', '1', '3'); null while active. */
  ended: { date: string | null; article: string | null; part: string | null; point: string | null; ground?: string | null } | null;
  /** Subjects of execution with the unpaid amount, or null when the site shows none (finished). */
  subjects: Array<{ type: string; amount: number | null }>;
  /** `debt-rest` of the pay button, rubles; null when there is no button (finished). */
  debtRest: number | null;
  /** ОСП: name, address and the 5-digit code from the ИП number. */
  department: { name: string | null; address: string | null; code: string | null };
  bailiff: { name: string | null; phone: string | null };
  /** Region title of the separator row above the proceeding. */
  region: string | null;
  /** Payment UIN (`data-uin`), or null. */
  uin: string | null;
}

/** `konveyer parse fssp-search`: one answer of is.fssp.gov.ru/ajax_search (DESIGN.md §Contracts). */
export interface FsspSearchResult {
  state: 'results' | 'empty' | 'captcha' | 'wrong_code';
  /** «Найдено записей: N»; the row count when the page does not say; 0 for the other states. */
  total: number;
  proceedings: EnforcementProceeding[];
  /** 1-based page shown and the next page number, or null on the last page. */
  page: number;
  nextPage: number | null;
  /** The captcha image when state is captcha or wrong_code. */
  captcha?: { imageBase64: string };
}

/** Fields read from an FSSP document (DESIGN.md `document`): `parse document`, `documents.fields`; ISO dates, `amount` in rubles, absent values null. */
export interface DocumentFields {
  ipNumber: string | null;
  /** When the ИП was opened (also where an окончание quotes it). */
  ipDate: string | null;
  department: { name: string | null; address: string | null; code: string | null } | null;
  bailiff: { name: string | null } | null;
  /** Name nominative, without birth data. */
  debtor: { name: string | null; birthDate: string | null; birthPlace: string | null; address: string | null } | null;
  /** `inn` when the document prints it (more than the contract asks). */
  creditor: { name: string | null; address: string | null; inn: string | null } | null;
  executiveDocument: { type: string | null; number: string | null; date: string | null; issuer: string | null; caseNumber: string | null } | null;
  /** The debt in rubles. */
  amount: number | null;
  /** The document's own date. */
  decisionDate: string | null;
  /** «ст. 46 ч. 1 п. 3» (окончание, прекращение). */
  endGround: string | null;
}

/** What a parser returns for a page that is not the page it parses. */
export type PageKind =
  | 'case_card'
  | 'search_results'
  | 'search_empty'
  /** sudrf: «Указанный сервер СДП не найден.» — the court has no such `srv_num`. */
  | 'no_such_server'
  /** sudrf/msudrf anti-bruteforce answer «Информация временно недоступна»: too many requests, retry later. */
  | 'rate_limited'
  /** sudrf landing «Выберите сервер»: links to the court's database servers (`srv_num`), to be followed. */
  | 'server_choice'
  | 'captcha'
  | 'captcha_wrong'
  | 'geo_block'
  | 'maintenance'
  | 'unknown';
