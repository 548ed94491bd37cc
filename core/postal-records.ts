/**
 * Normalized records of Russian Post tracking (DESIGN.md §Contracts `post-tracking`): what the
 * parser makes of a SOAP answer and what `postal_items` keeps.
 */

/** Where a postal item stands, from its operations (parsers/post-tracking/item-state.ts). */
export type PostalItemState =
  | 'no_data' // the service knows the identifier but has no operation yet
  | 'accepted'
  | 'in_transit'
  | 'arrived' // at the delivery office, waiting for the addressee
  | 'delivery_failed' // an unsuccessful delivery attempt
  | 'returning' // sent back to the sender (returnedAt, returnReason)
  | 'lost'
  | 'delivered' // final: handed to the addressee
  | 'returned' // final: handed back to the sender
  | 'stored' // final: handed over for (temporary) storage, or taken into ownership
  | 'destroyed' // final
  | 'not_found'; // the service has no information on the identifier (batch answer, error 12)

/** States after which a letter is never re-checked. */
export const FINAL_POSTAL_STATES: readonly PostalItemState[] = ['delivered', 'returned', 'stored', 'destroyed'];

export const isFinalPostalState = (s: string): boolean => (FINAL_POSTAL_STATES as readonly string[]).includes(s);

/** One operation over an item. */
export interface PostalOperation {
  /** OperType / OperTypeID with its name (from the answer, else the dictionary). */
  type: { id: number; name: string | null };
  /** OperAttr / OperCtgID with its name; id null when the answer gives none. */
  attr: { id: number | null; name: string | null };
  /**
   * When, as the service gives it: single access `2015-07-09T18:08:00.000+03:00` (with offset);
   * batch access `DD.MM.YYYY HH:mm:ss` local time → `2015-09-08T17:07:00` (no offset given).
   */
  date: string;
  /** Postal index of the place (absent abroad). */
  index: string | null;
  /** Description of the place («Москва 555»); the batch answer gives none. */
  place: string | null;
  /** Single access only: destination index and country of the operation, when given. */
  destinationIndex?: string | null;
  country?: string | null;
}

/** One item as the parser reads it from an answer. */
export interface PostalItemRecord {
  /** ШПИ as the answer prints it. */
  barcode: string;
  operations: PostalOperation[];
  state: PostalItemState;
  /** Date of the first acceptance (type 1). */
  acceptedAt: string | null;
  /** Date of the hand-over to the addressee (type 2, not to the sender). */
  deliveredAt: string | null;
  /** Date the return began (type 3), and why (its attribute). */
  returnedAt: string | null;
  returnReason: string | null;
  /** Sender and recipient as the service reports them (single access, UserParameters). */
  sender: string | null;
  recipient: string | null;
  /** Mail type and category names (single access, ItemParameters). */
  mailType: string | null;
  mailCategory: string | null;
  /** Batch answers: the item-level error (e.g. 12 «no information on this identifier»). */
  error: { id: number; name: string } | null;
}

/** What one saved SOAP answer holds (`konveyer parse post-tracking`). */
export interface PostTrackingAnswer {
  /** `history`: getOperationHistory; `ticket`: getTicket; `batch`: getResponseByTicket. */
  kind: 'history' | 'ticket' | 'batch';
  items: PostalItemRecord[];
  /** getTicket: the ticket issued. */
  ticket: string | null;
  /** getResponseByTicket: `ready`, or `not_ready` (error 6), or `expired` (error 17). */
  ticketState: 'ready' | 'not_ready' | 'expired' | null;
  /** getResponseByTicket: DatePreparation of the answer (Moscow time). */
  preparedAt: string | null;
}
