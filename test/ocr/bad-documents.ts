/**
 * Bad files for the OCR tests: a PDF that claims a password (Standard security handler with a
 * user-password check no empty password passes), a truncated PDF, a file that is neither.
 */
import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib';

/** A PDF whose trailer carries an /Encrypt dictionary: readers ask for a password. */
export async function encryptedPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.addPage([200, 200]).drawText('secret');
  const hex32 = (c: string) => PDFHexString.of(c.repeat(64));
  const encrypt = pdf.context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -4 });
  encrypt.set(PDFName.of('O'), hex32('a'));
  encrypt.set(PDFName.of('U'), hex32('b'));
  pdf.context.trailerInfo.Encrypt = pdf.context.register(encrypt);
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of('0123456789abcdef0123456789abcdef'), PDFHexString.of('0123456789abcdef0123456789abcdef')]);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** The first 300 bytes of a real PDF: a header and nothing a reader can use. */
export function brokenPdf(pdf: Buffer): Buffer {
  return Buffer.concat([pdf.subarray(0, 300), Buffer.from('\n%%garbage\n')]);
}

/** Plain text that is neither a PDF nor an image. */
export function notADocument(): Buffer {
  return Buffer.from('Это не PDF и не изображение, а просто текст.\n', 'utf8');
}
