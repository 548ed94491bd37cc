import { z } from 'zod';
import { epguAccountId } from './epgu-request.payload.ts';

/** Input of an `epgu.inbox` lookup: read the ГЭПС feed of one configured account since its last seen item. */
export const epguInboxInputSchema = z.strictObject({ account: epguAccountId });

export type EpguInboxInput = z.output<typeof epguInboxInputSchema>;
