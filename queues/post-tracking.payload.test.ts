/** The post.tracking payload: links, and letters of a CSV batch grouped for batch access. */
import { describe, expect, it } from 'vitest';
import { groupLetterRequests, parsePostalLink, postTrackingInputSchema } from './post-tracking.payload.ts';

describe('post.tracking payload', () => {
  it('parses the four kinds of --for, normalizing an ИП number', () => {
    expect(parsePostalLink('court-case:02RS0020:id:161187325')).toEqual({ ok: true, link: { kind: 'court-case', id: '02RS0020:id:161187325' } });
    expect(parsePostalLink('ip: 102021/20/02003-ип')).toMatchObject({ ok: true, link: { kind: 'ip', id: '102021/20/02003-ИП' } });
    expect(parsePostalLink('ref:  заявление   о выдаче ')).toEqual({ ok: true, link: { kind: 'ref', id: 'заявление о выдаче' } });
    expect(parsePostalLink('case:1')).toMatchObject({ ok: false });
    expect(parsePostalLink('epgu:')).toMatchObject({ ok: false });
  });

  it('a CSV batch of more than batchMin letters becomes one batch lookup; keyed rows and few letters stay single', () => {
    const rows = ['14102192069353', '11741865001806', 'RS253346199NL'].map((barcode, i) => ({ type: 'post.tracking', input: { barcode, for: i === 0 ? 'ref:a' : '' } }));
    expect(groupLetterRequests(rows, 5)).toBe(rows);
    const grouped = groupLetterRequests([...rows, { type: 'post.tracking', input: { barcode: '14102192069353' }, clientKey: 'k1' }], 2);
    expect(grouped).toEqual([
      { type: 'post.tracking', input: { barcode: '14102192069353' }, clientKey: 'k1' },
      { type: 'post.tracking', input: { items: [{ barcode: '14102192069353', for: 'ref:a' }, { barcode: '11741865001806' }, { barcode: 'RS253346199NL' }] }, clientKey: undefined },
    ]);
    expect(postTrackingInputSchema.safeParse(grouped[1]!.input).success).toBe(true);
  });
});
