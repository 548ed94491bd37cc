/**
 * Conformance of the msudrf parsers on the real magistrate pages (fixtures `msudrf/*`): both type B
 * cards and the kcaptcha gate. Runs only where ../shared/fixtures/real exists; pages are read at run
 * time, and the assertions check structure (formats, counts, kinds), never the people's names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COURT_UID_RE } from '../../core/identifiers.ts';
import { classifyPage, parsePage } from '../../parsers/index.ts';

const dir = fileURLToPath(new URL('../../../shared/fixtures/real/msudrf/', import.meta.url));
const read = (name: string) => readFileSync(dir + name);
const hasFixtures = existsSync(dir + 'case_typeB_okt6ros_61MS0033_2-1478-2026_civil.dom.html');

describe.skipIf(!hasFixtures)('msudrf parsers on real pages', () => {
  it('reads the Rostov civil card (type B, 5 event columns, no parties tab)', () => {
    const url = 'https://okt6.ros.msudrf.ru/modules.php?name=sud_delo&op=cs&case_id=274738646&delo_id=1540005';
    const bytes = read('case_typeB_okt6ros_61MS0033_2-1478-2026_civil.dom.html');
    expect(classifyPage(bytes, { url })).toBe('case_card');
    const r = parsePage('court-case', bytes, { url });
    expect(r.template).toBe('msudrf-B');
    expect(r.court).toMatchObject({ host: 'okt6.ros.msudrf.ru', code: '61MS0033', section: '6' });
    expect(r.court.name).toMatch(/^Судебный участок № 6 /);
    expect(r.caseNumber).toBe('2-1478/2026');
    expect(r.caseId).toBe('274738646');
    expect(r.uid).toMatch(COURT_UID_RE);
    expect(r.uid!.startsWith('61MS0033-')).toBe(true);
    expect(r.judge).toMatch(/^\S+ \S+ \S+$/);
    expect(r.category).toMatch(/семейных/);
    expect(r.events).toHaveLength(5);
    // Column order «Наименование | Результат | Дата | Время | Дата размещения»: mapped by header.
    expect(r.events.map((e) => e.publishedAt)).toEqual(['2026-07-15', '2026-07-15', '2026-07-18', '2026-07-18', '2026-08-06']);
    expect(r.events[0]!.date).toBeNull();
    expect(r.events[3]).toMatchObject({ date: '2026-07-30', time: '16:00' });
    expect(r.events[1]!.result).toMatch(/^Принято решение: /);
    expect(r.parties).toEqual([]);
    expect(r.status).toBe('accepted');
  });

  it('reads the Moscow-oblast KoAP card (type B, a judge column, the 4-column parties tab)', () => {
    const url = 'https://5.mo.msudrf.ru/modules.php?name=sud_delo&op=cs&case_id=436673426&delo_id=1500001';
    const r = parsePage('court-case', read('case_typeB_5mo_50MS0005_5-969-2026_koap.content-excerpt.html'), { url });
    expect(r).toMatchObject({ caseNumber: '5-969/2026', caseId: '436673426', registeredAt: '2026-08-05', template: 'msudrf-B', status: 'received' });
    // The excerpt has no counter: the code comes from the UID.
    expect(r.court).toMatchObject({ host: '5.mo.msudrf.ru', code: '50MS0005', section: '5' });
    expect(r.judge).toMatch(/^\S+ \S+ \S+$/);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ date: null, publishedAt: '2026-08-06' });
    expect(r.parties).toHaveLength(1);
    expect(r.parties[0]!.role).toMatch(/^Лицо, в отношении которого/);
    expect(r.parties[0]!.roleNorm).toBe('other');
  });

  it('classifies the kcaptcha gate as a captcha and refuses to read it as a card', () => {
    const url = 'https://2.perm.msudrf.ru/modules.php?name=sud_delo&op=cs&case_id=1165294&delo_id=1540005';
    const bytes = read('kcaptcha_gate_perm_59MS0002_puppeteer-dom.html');
    expect(classifyPage(bytes, { url })).toBe('captcha');
    expect(() => parsePage('court-case', bytes, { url })).toThrow(/not a msudrf case card/);
  });
});
