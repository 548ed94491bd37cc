/**
 * What one FSSP document of the sandbox says: the facts printed on a постановление or уведомление
 * (template forms of FSSP orders № 238 of 04.05.2016 as amended by № 444 of 25.10.2019).
 * The same shape is what `parse document` must read back (DESIGN.md §Contracts `document`).
 */

/** The documents the EPGU feed delivers (DESIGN.md `document.kind`, without `other`). */
export type FsspDocumentKind = 'ip_opened' | 'ip_ended' | 'ip_terminated' | 'ip_refused' | 'motion_granted' | 'motion_refused' | 'progress_notice';

/** All kinds, in a stable order (for generators and tests). */
export const FSSP_DOCUMENT_KINDS: readonly FsspDocumentKind[] = ['ip_opened', 'ip_ended', 'motion_granted', 'motion_refused', 'progress_notice', 'ip_terminated', 'ip_refused'];

/**
 * How the document is set (the variety real ОСП produce, issue 14 §3):
 * - `classic` — centred header, date and number line, parties with colons (the order № 238 form);
 * - `two-column` — ОСП on the left, addressee on the right of the same lines (a text layer interleaves them);
 * - `title-first` — the title above the ОСП, a worded date «28 ноября 2025 г.», officer as «И. О. Фамилия»;
 * - `genitive` — parties in running prose, in the genitive, birth data and place after the name;
 * - `caps` — the whole document in capitals.
 */
export type FsspDocumentLayout = 'classic' | 'two-column' | 'title-first' | 'genitive' | 'caps';

/** All layouts, in a stable order. */
export const FSSP_DOCUMENT_LAYOUTS: readonly FsspDocumentLayout[] = ['classic', 'two-column', 'title-first', 'genitive', 'caps'];

/** The facts of one document. Dates are ISO `YYYY-MM-DD`; `amount` is the debt in rubles (2 decimals). */
export interface FsspDocumentSpec {
  kind: FsspDocumentKind;
  /** «54237/25/02016-ИП». */
  ipNumber: string;
  ipDate: string;
  /** ОСП: name, postal address, 5-digit code (region + department). */
  department: { name: string; address: string; code: string };
  /** Судебный пристав-исполнитель as FSSP prints it, «ПАВЛОВ П. И.». */
  bailiff: string;
  debtor: { name: string; birthDate: string | null; address: string; birthPlace?: string | null };
  creditor: { name: string; inn: string; address?: string | null };
  /** «Судебный приказ» / «Исполнительный лист», its number, ISO date, issuing body, case number (a writ's «по делу №»). */
  executiveDocument: { type: string; number: string; date: string; issuer: string; caseNumber?: string | null };
  /** Debt in rubles, e.g. 948809.56. */
  amount: number;
  /** Date the document was issued (постановление вынесено). */
  decisionDate: string;
  /** Ground for ending, «ст. 46 ч. 1 п. 3» (ip_ended), or of прекращение «ст. 43 ч. 2 п. 4» (ip_terminated). */
  endGround?: string;
  /** What the creditor asked for (motion_* only). */
  motionText?: string;
  /** Предмет исполнения; a ЖКХ default when absent. */
  subject?: string;
  /** The document's own registration number «02016/25/384756»; derived when absent. */
  documentNumber?: string;
  /** How it is set; `classic` when absent. */
  layout?: FsspDocumentLayout;
  /** An electronic-signature stamp under the signature (owner = the пристав). */
  stamp?: boolean;
}

/** Options of `renderFsspDocument`. */
export interface RenderFsspDocumentOptions {
  /** Rasterised pages (rotated, noisy, blurred, JPEG) with no text layer. */
  scanned: boolean;
  /** Drives every random choice of the scan (angle, noise); same seed, same bytes. */
  seed: number;
}
