/**
 * The hand-written corpus (test/fixtures/documents/): documents typed by a person in varied official
 * styles, with the expected fields typed beside each — never made by the sandbox generator or the
 * parser. Text documents are drawn as text-layer PDFs and read through `parseDocumentFile` as
 * `konveyer parse document` does; XML ones are read as they are. Every expected field must be exact.
 */
import { describe, expect, it } from 'vitest';
import { parseDocumentFile } from '../../ocr/index.ts';
import { scoreFields } from './field-score.ts';
import { loadHandCorpus, renderCorpusPdf } from './hand-corpus.render.ts';

const corpus = loadHandCorpus();
const noOcr = { engine: async () => { throw new Error('a text-layer PDF or an XML must not need OCR'); } };

describe('hand-written FSSP documents', () => {
  it('holds at least 12 text documents and some XML, every kind', () => {
    expect(corpus.filter((d) => d.format === 'text').length).toBeGreaterThanOrEqual(12);
    expect(corpus.filter((d) => d.format === 'xml').length).toBeGreaterThanOrEqual(4);
    expect(new Set(corpus.map((d) => d.expected.kind))).toEqual(new Set(['ip_opened', 'ip_ended', 'ip_terminated', 'ip_refused', 'motion_granted', 'motion_refused', 'progress_notice']));
  });

  for (const doc of corpus) {
    it(`${doc.name} (${doc.format === 'xml' ? 'XML' : 'text-layer PDF'}): every field as typed`, async () => {
      const bytes = doc.format === 'xml' ? doc.bytes : await renderCorpusPdf(doc.bytes.toString('utf8'));
      const got = await parseDocumentFile(bytes, noOcr);
      expect(got.ocr).toBe(false);
      expect(got.source).toBe(doc.format === 'xml' ? 'xml' : 'text');
      const wrong = scoreFields(doc.expected, got).filter((v) => !v.ok);
      expect(wrong).toEqual([]);
    }, 30_000);
  }
});
