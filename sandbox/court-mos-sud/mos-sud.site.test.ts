import { classifyMosSudPage, parseMosSudSearchResults } from '../../parsers/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../server.ts';
import { getAs } from '../test-support/sandbox-client.ts';
import { generateWorld } from '../data/world.generator.ts';
import { generateMosSudData } from './mos-sud.data.ts';
import { generateMirsudData } from '../court-mirsud-spb/mirsud.data.ts';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, world: generateWorld({ seed: 5, sudrfCourts: 1, casesPerCourt: 5 }) });
});
afterAll(async () => sandbox?.close());

describe('magistrate data derived from the world seed', () => {
  it('is the same for the same seed, different for another; участок digits ≠ court code digits', () => {
    const a = generateWorld({ seed: 5, sudrfCourts: 1, casesPerCourt: 5 });
    const b = generateWorld({ seed: 6, sudrfCourts: 1, casesPerCourt: 5 });
    expect(JSON.stringify(generateMosSudData(a))).toBe(JSON.stringify(generateMosSudData(sandbox.world)));
    expect(JSON.stringify(generateMirsudData(a))).toBe(JSON.stringify(generateMirsudData(sandbox.world)));
    expect(JSON.stringify(generateMosSudData(a))).not.toBe(JSON.stringify(generateMosSudData(b)));
    for (const s of [...generateMosSudData(a).sections, ...generateMirsudData(a).sections]) {
      expect(s.code).toMatch(/^(77|78)MS\d{4}$/);
      expect(Number(s.code.slice(4))).not.toBe(s.section);
    }
  });
});

describe('mos-sud.ru replica', () => {
  it('lists a district in window.__state, serves cards as UTF-8 with the croc markup, and 404s unknown ones', async () => {
    const data = generateMosSudData(sandbox.world);
    const dir = await getAs(sandbox.port, 'mos-sud.ru', '/rs/' + data.sections[0]!.district);
    expect(dir.status).toBe(200);
    const state = JSON.parse(/window\.__state = (\{.*?\});<\/script>/.exec(dir.text)![1]!) as { courts: Array<{ code: string; url: string }> };
    expect(state.courts).toContainEqual(expect.objectContaining({ code: data.sections[0]!.code, url: `/${data.sections[0]!.section}` }));
    const issued = data.cases.find((c) => c.executionDocuments.length)!;
    const card = await getAs(sandbox.port, 'mos-sud.ru', `/${issued.section}/cases/details/${issued.uuid}`);
    expect(card.headers['content-type']).toMatch(/utf-8/i);
    expect(card.text).toContain('<div class="left"> Cудья');
    expect(card.text).toContain('<h3>История состояний</h3>');
    expect(card.text).toContain('<h3>Исполнительные документы</h3>');
    expect(card.text).toContain('id="modalTable"');
    expect(card.text).not.toContain('id="sessions"');
    // The card of another участок with this UUID does not exist.
    const other = data.sections.find((s) => s.section !== issued.section)!;
    expect((await getAs(sandbox.port, 'mos-sud.ru', `/${other.section}/cases/details/${issued.uuid}`)).status).toBe(404);
    const form = await getAs(sandbox.port, 'mos-sud.ru', '/search');
    expect(form.text).toMatch(/<input[^>]*name="uid"/);
    expect(form.text).toContain('id="case-index-search-form-btn"');
    const found = await getAs(sandbox.port, 'mos-sud.ru', `/search?uid=${issued.uid}`);
    // The results table as the real portal draws it (search_mos-gorsud_participant.html), read back by the parser.
    expect(found.text).toContain('<table class="search-form__table no-border">');
    expect(found.text).toContain(`<tr data-href="/${issued.section}/cases/details/${issued.uuid}" class="linked-row">`);
    expect(classifyMosSudPage(found.text)).toBe('search_results');
    const parsed = parseMosSudSearchResults(found.text, { url: `http://mos-sud.ru/search?uid=${issued.uid}` });
    expect(parsed.cases.map((r) => r.url)).toEqual([`http://mos-sud.ru/${issued.section}/cases/details/${issued.uuid}`]);
    const admin = await getAs(sandbox.port, 'mos-sud.ru', '/__sandbox/mos-sud/cases');
    expect(JSON.parse(admin.text).cases).toHaveLength(data.cases.length);
    const spbAdmin = await getAs(sandbox.port, 'mirsud.spb.ru', '/__sandbox/mirsud-spb/cases');
    expect(JSON.parse(spbAdmin.text).cases).toHaveLength(generateMirsudData(sandbox.world).cases.length);
  });
});

describe('mos-sud.ru search form (by number, by participant and dates)', () => {
  // Expected rows: the hand-written участок 463 of mos-sud.data.ts (PLANTED_MOS_SUD_CASES).
  const rowsOf = (text: string) => [...text.matchAll(/<tr data-href="(\/\d+\/cases\/details\/[0-9a-f-]+)"/g)].map((m) => m[1]);
  it('short form by number lists that case (by its material number too); another участок alias or an unknown number lists nothing', async () => {
    const byNo = await getAs(sandbox.port, 'mos-sud.ru', '/search?formType=shortForm&courtAlias=&uid=&caseNumber=2-1877%2F463%2F2026');
    expect(rowsOf(byNo.text)).toEqual(['/463/cases/details/5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c02']);
    expect(byNo.text).toMatch(/<input type="text" name="caseNumber" value="2-1877\/463\/2026"/);
    const byMaterial = await getAs(sandbox.port, 'mos-sud.ru', '/search?formType=shortForm&caseNumber=%D0%9C-2210%2F463%2F2026');
    expect(rowsOf(byMaterial.text)).toEqual(['/463/cases/details/5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c02']);
    expect(rowsOf((await getAs(sandbox.port, 'mos-sud.ru', '/search?formType=shortForm&courtAlias=ms463&caseNumber=2-1877%2F463%2F2026')).text)).toHaveLength(1);
    const elsewhere = await getAs(sandbox.port, 'mos-sud.ru', '/search?formType=shortForm&courtAlias=ms464&caseNumber=2-1877%2F463%2F2026');
    expect(classifyMosSudPage(elsewhere.text)).toBe('search_empty');
    expect(classifyMosSudPage((await getAs(sandbox.port, 'mos-sud.ru', '/search?formType=shortForm&caseNumber=2-9999%2F463%2F2026')).text)).toBe('search_empty');
  });

  it('full form by participant (substring, any case) and registration dates (inclusive)', async () => {
    const q = (party: string, from: string, to: string) => `/search?formType=fullForm&courtAlias=&participant=${encodeURIComponent(party)}&caseDateFrom=${from}&caseDateTo=${to}`;
    const all = await getAs(sandbox.port, 'mos-sud.ru', q('кондратьева зинаида', '', ''));
    expect(rowsOf(all.text).sort()).toEqual(['01', '02', '03'].map((n) => `/463/cases/details/5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c${n}`));
    const in2026 = await getAs(sandbox.port, 'mos-sud.ru', q('Кондратьева Зинаида Павловна', '01.01.2026', '03.04.2026'));
    expect(rowsOf(in2026.text).sort()).toEqual(['01', '02'].map((n) => `/463/cases/details/5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c${n}`));
    const parsed = parseMosSudSearchResults(in2026.text, { url: 'https://mos-sud.ru/search' });
    expect(parsed.cases.map((c) => c.caseNumber).sort()).toEqual(['2-1501/463/2026', '2-1877/463/2026']);
    expect(rowsOf((await getAs(sandbox.port, 'mos-sud.ru', q('Кондратьева Зинаида Павловна', '04.04.2026', '15.06.2026'))).text)).toEqual([]);
  });
});

describe('mirsud.spb.ru case search by party and dates', () => {
  it('lists the party\'s cases of a участок within the dates (expected rows: PLANTED_MIRSUD_CASES of mirsud.data.ts)', async () => {
    const q = (section: string, from: string) => `/cases/?id=&full_name=${encodeURIComponent('Кондратьева Зинаида')}&date_from=${from}&date_to=15.06.2026&court_site_id=${section}`;
    const rows = (text: string) => [...text.matchAll(/href="(\/cases\/detail\/\d+\/\?id=[^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
    expect(rows((await getAs(sandbox.port, 'mirsud.spb.ru', q('98', '01.01.2026'))).text).sort()).toEqual(['/cases/detail/98/?id=2-2976/2026-98', '/cases/detail/98/?id=2-3310/2026-98']);
    expect(rows((await getAs(sandbox.port, 'mirsud.spb.ru', q('', '01.01.2020'))).text)).toHaveLength(3);
    expect((await getAs(sandbox.port, 'mirsud.spb.ru', q('97', '01.01.2020'))).text).toContain('Судебные дела, удовлетворяющие запросу, не найдены');
  });
});
