/** The sandbox's FSSP documents: deterministic by seed, specs derived from the FSSP bank, text layer readable. */
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../sandbox/data/index.ts';
import { documentPlainText, documentSpecFromProceeding, FSSP_DOCUMENT_KINDS, renderFsspDocument } from '../../sandbox/epgu/documents/index.ts';
import { deriveProceedings } from '../../sandbox/fssp/fssp.data.ts';
import { openPdf } from '../../ocr/index.ts';

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
    const spec = documentSpecFromProceeding(proceedings[3]!, 'ip_ended', 5, world);
    const one = await renderFsspDocument(spec, { scanned: false, seed: 5 });
    expect((await renderFsspDocument(spec, { scanned: false, seed: 5 })).equals(one)).toBe(true);
    const pdf = await openPdf(one);
    const text = (await pdf.textLines(1)).map((l) => l.text).join(' ');
    await pdf.close();
    expect(text.replace(/\s+/g, ' ')).toBe(documentPlainText(spec).replace(/\s+/g, ' '));
  });

  it('has a distinct title for every kind', () => {
    const p = proceedings[0]!;
    const titles = FSSP_DOCUMENT_KINDS.map((k) => documentPlainText(documentSpecFromProceeding(p, k, 1, world)).split('\n').slice(3, 5).join(' '));
    expect(new Set(titles).size).toBe(FSSP_DOCUMENT_KINDS.length);
  });
});
