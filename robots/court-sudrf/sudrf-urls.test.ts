import { describe, expect, it } from 'vitest';
import { cartotekasForNumber, SUDRF_CARTOTEKAS, sudrfCardPath, sudrfSearchPath } from './sudrf-urls.ts';

// Expected ids are read off TARGETS.md §1.3 and the real pages' URLs (SOURCES.md / EXPECTED.json).
describe('sudrf cartotekas and URL forms', () => {
  it('searches the register the number names first, then every other one', () => {
    const first = (n: string) => cartotekasForNumber(n)[0]!.deloId;
    expect(first('2-7212/2025')).toBe('1540005');
    expect(first('М-5922/2025')).toBe('1540005');
    expect(first('33-4818/2025')).toBe('5'); // vs.komi civil appeal card: delo_id=5
    expect(first('2а-15/2026')).toBe('41');
    expect(first('33а-647/2026')).toBe('42');
    expect(first('5-174/2026')).toBe('1500001'); // Kirov КоАП card: delo_id=1500001
    expect(first('12-3/2026')).toBe('1502001');
    expect(first('13-1/2026')).toBe('1610001');
    for (const n of ['2-1/2026', '33а-1/2026', undefined]) {
      expect(new Set(cartotekasForNumber(n).map((k) => k.key))).toEqual(new Set(SUDRF_CARTOTEKAS.map((k) => k.key)));
    }
  });

  it('builds the primary search with the register\'s own field prefix', () => {
    const civil2 = SUDRF_CARTOTEKAS.find((k) => k.key === 'civil2')!;
    const p = sudrfSearchPath({ number: '33-4818/2025', cartoteka: civil2 });
    expect(p).toContain('name_op=r&delo_id=5&case_type=0&new=5&delo_table=g2_case&g2_case__CASE_NUMBERSS=33-4818%2F2025&');
    expect(p).toContain('&G2_PARTS__NAMESS=&');
  });

  it('builds the vnkod search and card as the real Samara new-UI links', () => {
    const kas2 = SUDRF_CARTOTEKAS.find((k) => k.key === 'kas2')!;
    const s = sudrfSearchPath({ uid: '63RS0042-01-2025-002452-47', cartoteka: kas2, urlForm: { form: 'vnkod', vnkod: '63OS0000' } });
    expect(s).toContain('_deloId=1540005&case__case_type=0&_new=5&case__vnkod=63OS0000&case__num_build=1&process-type=1540005_0_5');
    expect(s).toContain('case__judicial_uidss=63RS0042-01-2025-002452-47');
    expect(sudrfCardPath('45090185', '70f25bb3-b647-4795-a592-61e457a42ea7', 1, kas2, { form: 'vnkod', vnkod: '63OS0000' }))
      .toBe('/modules.php?name=sud_delo&name_op=case&_id=45090185&_uid=70f25bb3-b647-4795-a592-61e457a42ea7&_deloId=1540005&_caseType=0&_new=5&srv_num=1');
  });
});
