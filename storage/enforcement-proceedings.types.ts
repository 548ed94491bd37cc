/** The `enforcement_proceedings` collection as the FSSP robot writes it (issue 3). */
import type { SourceRef } from './court-cases.types.ts';

/** What saving one enforcement proceeding did. */
export interface ProceedingSaveResult {
  /** The ИП number (`_id`). */
  id: string;
  created: boolean;
  /** History events this save added: opened, amount_changed, ended, reopened, changed. */
  events: string[];
  /** The linked court case, or null. */
  courtCaseId: string | null;
}

/** The enforcement_proceedings collection as robots use it. */
export interface EnforcementProceedingStore {
  /** Upserts by ИП number; keeps a history; links the court case its executive document names. */
  save(record: import('../core/records.ts').EnforcementProceeding, source: SourceRef): Promise<ProceedingSaveResult>;
}
