import { z } from 'zod';

/**
 * Input of an `ocr.document` lookup: read one stored document (`documents._id`, e.g.
 * `epgu:<account>:<attachmentId>`) whose body is in the evidence store. An id that names no
 * document fails the lookup with `bad_input` when it runs (submit does not read MongoDB).
 */
export const ocrDocumentInputSchema = z.strictObject({
  documentId: z
    .string({ error: 'documentId is required: the _id of a stored document' })
    .trim()
    .min(1, 'documentId is required: the _id of a stored document')
    .max(300, 'documentId: at most 300 characters'),
});

export type OcrDocumentInput = z.output<typeof ocrDocumentInputSchema>;
