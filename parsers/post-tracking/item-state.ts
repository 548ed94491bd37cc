/**
 * The state of a postal item and its key dates, from its operations in the order the service
 * lists them (chronological). Codes: operation-codes.ts.
 */
import type { PostalItemState, PostalOperation } from '../../core/postal-records.ts';
import { DELIVERY_TO_SENDER_ATTRS } from './operation-codes.ts';

/** What the operations say about an item. */
export interface ItemSummary {
  state: PostalItemState;
  acceptedAt: string | null;
  deliveredAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
}

/** State of one operation alone, or null when it does not move the state (a customs step, an SMS). */
function stateOf(op: PostalOperation, returning: boolean): PostalItemState | null {
  const attr = op.attr.id ?? -1;
  switch (op.type.id) {
    case 1:
      return 'accepted';
    case 2:
      // Handed to the sender: the return trip is over (or the sender took it back).
      return DELIVERY_TO_SENDER_ATTRS.has(attr) || returning ? 'returned' : 'delivered';
    case 3:
      return 'returning';
    case 5:
      return attr === 1 ? 'lost' : null;
    case 6:
      return 'arrived';
    case 8:
      return attr === 2 || attr === 9 || attr === 14 ? 'arrived' : 'in_transit';
    case 12:
      return 'delivery_failed';
    case 15:
    case 17:
      return 'stored';
    case 16:
      return 'destroyed';
    case 18:
      return 'lost';
    case 4:
    case 9:
    case 10:
    case 11:
    case 14:
    case 23:
    case 29:
    case 31:
    case 33:
      return 'in_transit';
    default:
      return null;
  }
}

/** Summarizes `operations`: the last state-moving operation decides; dates are the first of each kind. */
export function summarizeOperations(operations: readonly PostalOperation[]): ItemSummary {
  const out: ItemSummary = { state: 'no_data', acceptedAt: null, deliveredAt: null, returnedAt: null, returnReason: null };
  let returning = false;
  for (const op of operations) {
    const s = stateOf(op, returning);
    if (op.type.id === 1 && out.acceptedAt === null) out.acceptedAt = op.date;
    if (op.type.id === 3 && out.returnedAt === null) {
      out.returnedAt = op.date;
      out.returnReason = op.attr.name;
      returning = true;
    }
    if (s === 'delivered' && out.deliveredAt === null) out.deliveredAt = op.date;
    if (s !== null) out.state = s;
  }
  // A first operation that is not an acceptance (abroad, or a history that starts in transit) still tells us it moves.
  if (out.state === 'no_data' && operations.length > 0) out.state = 'in_transit';
  return out;
}
