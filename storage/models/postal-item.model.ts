import { Schema, type Connection, type Model } from 'mongoose';
import type { LetterDeadline, LetterLink } from '../../core/postal-deadlines.ts';
import type { PostalItemRecord } from '../../core/postal-records.ts';
import type { SourceRef } from '../types.ts';

/** What happened to a letter between two checks. */
export type PostalEventKind = 'tracked' | 'operations' | 'state_changed' | 'delivered' | 'returned' | 'linked';

/** One entry of a letter's history. */
export interface PostalHistoryEntry {
  at: Date;
  event: PostalEventKind;
  lookupId: string | null;
  evidenceId: string | null;
  /** `operations`: the new ones; `state_changed`: from → to; `delivered`: date; `returned`: date, reason; `linked`: the link. */
  details: Record<string, unknown>;
}

/** The scheduler's re-check state of a letter (scheduler/post-tracking-recheck.ts). */
export interface PostalCheckState {
  /** When it is due again; null when final. */
  nextAt: Date | null;
  /** Current interval; doubles while nothing changes, back to the base on a change. */
  intervalSecs: number;
  /** The lookup last queued for it, so a pass does not queue it twice. */
  queuedLookupId: string | null;
}

/** `postal_items` document. */
export interface PostalItemDoc extends Omit<PostalItemRecord, 'error'> {
  /** Natural key: the identifier (ШПИ) normalized. */
  _id: string;
  schemaVersion: number;
  /** What the letter is for; a letter may serve several records. */
  links: LetterLink[];
  /** Terms its delivery started for its links (core/postal-deadlines.ts). */
  deadlines: LetterDeadline[];
  final: boolean;
  source: SourceRef;
  history: PostalHistoryEntry[];
  check: PostalCheckState;
  rev: number;
  firstSeenAt: Date;
  checkedAt: Date;
}

export const POSTAL_ITEM_SCHEMA_VERSION = 1;

const sourceSchema = new Schema({ url: String, fetchedAt: Date, evidenceId: String, parserVersion: String, lookupId: String }, { _id: false });

export const postalItemSchema = new Schema<PostalItemDoc>(
  {
    _id: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    barcode: { type: String, required: true },
    operations: { type: Schema.Types.Mixed, default: [] },
    state: { type: String, required: true },
    acceptedAt: { type: String, default: null },
    deliveredAt: { type: String, default: null },
    returnedAt: { type: String, default: null },
    returnReason: { type: String, default: null },
    sender: { type: String, default: null },
    recipient: { type: String, default: null },
    mailType: { type: String, default: null },
    mailCategory: { type: String, default: null },
    links: { type: Schema.Types.Mixed, default: [] },
    deadlines: { type: Schema.Types.Mixed, default: [] },
    final: { type: Boolean, required: true },
    source: { type: sourceSchema, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    check: { type: Schema.Types.Mixed, required: true },
    rev: { type: Number, required: true },
    firstSeenAt: { type: Date, required: true },
    checkedAt: { type: Date, required: true },
  },
  { collection: 'postal_items', versionKey: false, minimize: false, strict: false },
);
postalItemSchema.index({ final: 1, 'check.nextAt': 1 });
postalItemSchema.index({ 'links.kind': 1, 'links.id': 1 });
postalItemSchema.index({ state: 1 });

export type PostalItemModel = Model<PostalItemDoc>;
export const postalItemModel = (conn: Connection): PostalItemModel => (conn.models.PostalItem as PostalItemModel | undefined) ?? conn.model<PostalItemDoc>('PostalItem', postalItemSchema);
