/** The `documents` collection: files that came back (EPGU answers) and what OCR read off them. */
import type { DocumentFields } from '../core/records.ts';
import type { SourceRef } from './court-cases.types.ts';

/** `documents.status`: waiting for OCR, queued for it, read, or failed. */
export type DocumentStatus = 'pending_ocr' | 'ocr_queued' | 'done' | 'failed';

/** Fields extracted from a document (core/records.ts, as parsers/document gives them); null until OCR ran. */
export type { DocumentFields };

/** `documents` document: a file that came back (an EPGU answer), its body in the evidence store, what OCR read. */
export interface DocumentDoc {
  /** Natural key: `epgu:<account>:<attachmentId>`. */
  _id: string;
  schemaVersion: number;
  origin: 'epgu' | 'upload';
  account: string | null;
  feedId: string | null;
  attachmentId: string | null;
  fileName: string;
  contentType: string;
  size: number;
  /** SHA-256 of the body; `EvidenceStore.readBody(sha256)` returns it. */
  sha256: string;
  evidenceId: string | null;
  /** `epgu_requests._id` it answers, its application and ИП numbers (null when unsolicited). */
  requestId: string | null;
  applicationNumber: string | null;
  ipNumber: string | null;
  /** Feed item title and subTitle (sender, document name), and the feed date. */
  title: string | null;
  subTitle: string | null;
  receivedAt: Date;
  status: DocumentStatus;
  /** Filled by OCR (`ocr.document`): kind, text, confidence, text layer or OCR, fields. */
  kind: string | null;
  text: string | null;
  confidence: number | null;
  ocr: boolean | null;
  fields: DocumentFields | null;
  error: { code: string; message: string } | null;
  source: SourceRef;
  createdAt: Date;
  updatedAt: Date;
}

export type NewDocument = Omit<DocumentDoc, 'schemaVersion' | 'status' | 'kind' | 'text' | 'confidence' | 'ocr' | 'fields' | 'error' | 'createdAt' | 'updatedAt'>;

export interface DocumentStore {
  get(id: string): Promise<DocumentDoc | null>;
  /** Inserts by natural key; an existing document is returned unchanged (`created: false`). */
  insert(doc: NewDocument): Promise<{ doc: DocumentDoc; created: boolean }>;
  setStatus(id: string, status: DocumentStatus, error?: { code: string; message: string } | null): Promise<void>;
  /** Stores what OCR read (status `done`). */
  saveOcr(id: string, result: { kind: string; text: string; confidence: number; ocr: boolean; fields: DocumentFields }): Promise<void>;
  /** Documents received in [from, to) (either bound optional), oldest first. */
  listReceived(range: { from?: Date; to?: Date; origin?: string }): Promise<DocumentDoc[]>;
}
