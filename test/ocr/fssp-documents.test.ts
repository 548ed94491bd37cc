/** The sandbox's FSSP documents: deterministic by seed, specs derived from the FSSP bank, text layer readable. */
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../sandbox/data/index.ts';
import { documentPlainText, documentSpecFromProceeding, expectedFieldsOf, FSSP_DOCUMENT_KINDS, FSSP_DOCUMENT_LAYOUTS, renderFsspDocument, renderFsspXml, XML_KINDS } from '../../sandbox/epgu/documents/index.ts';
import { deriveProceedings } from '../../sandbox/fssp/fssp.data.ts';
import { openPdf, parseDocumentFile } from '../../ocr/index.ts';

const world = generateWorld({ seed: 42 });
const proceedings = deriveProceedings(world);

describe('FSSP documents of the sandbox', () => {
  it('derives specs from the bank: same seed, same spec; the court case gives the creditor', () => {
    const p = proceedings.find((x) => x.debtorKind === 'person')!;
    const a = documentSpecFromProceeding(p, 'motion_refused', 9, world);
    expect(documentSpecFromProceeding(p, 'motion_refused', 9, world)).toEqual(a);
    const c = world.cases.find((k) => k.host === p.courtHost && k.caseNumber === p.caseNumber)!;
    expect(a.creditor.inn).toBe(world.creditors.find((k) => k.id === c.creditorId)!.inn);
    expect(a).toMatchObject({ ipNumber: p.ipNumber, ipDate: p.ipDate, bailiff: p.bailiff, department: { code: p.department.code } });
    expect(a.motionText).toBeTruthy();
  });

  it('renders the same bytes for the same spec, and the text layer holds the document text', async () => {
    const spec = { ...documentSpecFromProceeding(proceedings[3]!, 'ip_ended', 5, world), layout: 'classic' as const };
    const one = await renderFsspDocument(spec, { scanned: false, seed: 5 });
    expect((await renderFsspDocument(spec, { scanned: false, seed: 5 })).equals(one)).toBe(true);
    const pdf = await openPdf(one);
    const text = (await pdf.textLines(1)).map((l) => l.text).join(' ');
    await pdf.close();
    expect(text.replace(/\s+/g, ' ')).toBe(documentPlainText(spec).replace(/\s+/g, ' '));
  });

  it('has a distinct title for every kind', () => {
    const p = proceedings[0]!;
    const titles = FSSP_DOCUMENT_KINDS.map((k) => documentPlainText({ ...documentSpecFromProceeding(p, k, 1, world), layout: 'classic' }).split('\n').slice(3, 5).join(' '));
    expect(new Set(titles).size).toBe(FSSP_DOCUMENT_KINDS.length);
  });

  it('varies the layout by seed: every layout and a signature stamp occur', () => {
    const specs = Array.from({ length: 60 }, (_, i) => documentSpecFromProceeding(proceedings[i % proceedings.length]!, 'ip_opened', i, world));
    expect(new Set(specs.map((s) => s.layout))).toEqual(new Set(FSSP_DOCUMENT_LAYOUTS));
    expect(specs.some((s) => s.stamp)).toBe(true);
  });

  it('keeps the columns of a two-column header apart in the text layer', async () => {
    const spec = { ...documentSpecFromProceeding(proceedings[3]!, 'ip_opened', 5, world), layout: 'two-column' as const };
    const pdf = await openPdf(await renderFsspDocument(spec, { scanned: false, seed: 5 }));
    const lines = (await pdf.textLines(1)).map((l) => l.text);
    await pdf.close();
    // The ОСП's address is whole on its lines, the addressee's lines come after the left column.
    expect(lines.join(' ')).toContain(spec.department.address);
    expect(lines.indexOf('Взыскателю:')).toBeGreaterThan(lines.findIndex((l) => l.startsWith(spec.department.address.slice(0, 6))));
  });

  it.each(XML_KINDS)('serves %s as XML that reads back exactly', async (kind) => {
    const spec = documentSpecFromProceeding(proceedings[5]!, kind, 11, world);
    for (const encoding of ['utf-8', 'windows-1251'] as const) {
      const got = await parseDocumentFile(renderFsspXml(spec, { encoding }), { engine: async () => { throw new Error('no OCR for XML'); } });
      expect({ kind: got.kind, fields: got.fields }).toEqual(expectedFieldsOf({ ...spec, layout: 'classic' }));
      expect(got).toMatchObject({ ocr: false, confidence: 1, source: 'xml' });
    }
  });
});
