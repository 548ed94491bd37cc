import { describe, expect, it } from 'vitest';
import { cartotekaOfNumber, msudrfSearchPath } from './msudrf-urls.ts';

describe('msudrf search URLs by cartoteka', () => {
  it('files numbers by prefix (TARGETS.md §1.3)', () => {
    expect(['2-1257/2026', '9-2297/2026', 'М-12/2026', '13-4/2026', '5-969/2026', '1-12/2026', undefined].map(cartotekaOfNumber))
      .toEqual(['civil', 'civil', 'civil', 'civil', 'admin', 'criminal', 'civil']);
  });
  it('keeps the civil search as it was and names the КоАП fields for a «5-» number', () => {
    expect(msudrfSearchPath({ caseNumber: '2-1/2026' })).toContain('&delo_id=1540005&case_type=0&new=0&G1_PARTS__NAMESS=&g1_case__CASE_NUMBERSS=2-1%2F2026&');
    const adm = msudrfSearchPath({ caseNumber: '5-969/2026', cartoteka: 'admin' });
    expect(adm).toContain('&delo_id=1500001&');
    expect(adm).toContain('&adm_parts__NAMESS=&adm_case__CASE_NUMBERSS=5-969%2F2026&adm_case__JUDICIAL_UIDSS=&');
  });
});
