/**
 * What one FSSP document of the sandbox says: the facts printed on a постановление or уведомление
 * (template forms of FSSP orders № 238 of 04.05.2016 as amended by № 444 of 25.10.2019).
 * The same shape is what `parse document` must read back (DESIGN.md §Contracts `document`).
 */

/** The documents the EPGU feed delivers (DESIGN.md `document.kind`, without `other`). */
export type FsspDocumentKind = 'ip_opened' | 'ip_ended' | 'motion_granted' | 'motion_refused' | 'progress_notice';

/** All kinds, in a stable order (for generators and tests). */
export const FSSP_DOCUMENT_KINDS: readonly FsspDocumentKind[] = ['ip_opened', 'ip_ended', 'motion_granted', 'motion_refused', 'progress_notice'];

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
  debtor: { name: string; birthDate: string | null; address: string };
  creditor: { name: string; inn: string };
  /** «Судебный приказ» / «Исполнительный лист», its number, ISO date and issuing body. */
  executiveDocument: { type: string; number: string; date: string; issuer: string };
  /** Debt in rubles, e.g. 948809.56. */
  amount: number;
  /** Date the document was issued (постановление вынесено). */
  decisionDate: string;
  /** Ground for ending, «ст. 46 ч. 1 п. 3» (ip_ended only). */
  endGround?: string;
  /** What the creditor asked for (motion_* only). */
  motionText?: string;
  /** Предмет исполнения; a ЖКХ default when absent. */
  subject?: string;
  /** The document's own registration number «02016/25/384756»; derived when absent. */
  documentNumber?: string;
}

/** Options of `renderFsspDocument`. */
export interface RenderFsspDocumentOptions {
  /** Rasterised pages (rotated, noisy, blurred, JPEG) with no text layer. */
  scanned: boolean;
  /** Drives every random choice of the scan (angle, noise); same seed, same bytes. */
  seed: number;
}
