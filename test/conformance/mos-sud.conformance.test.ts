/**
 * Conformance of the mos-sud parsers against the real mos-gorsud pages in
 * ../shared/fixtures/real/mosgorsud (same croc markup as mos-sud.ru). Runs only where that folder
 * exists. Facts below are read from the pages (numbers, UIDs, dates); people's names are never
 * written here: a small regex reader of the raw HTML supplies them at run time, and counts rows
 * independently of cheerio.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyPage, decodeHtml, parsePage } from '../../parsers/index.ts';
import type { CourtCaseRecord, CourtSearchResult } from '../../core/records.ts';
import { pickMosSudResult } from '../../robots/court-mos-sud/index.ts';

const DIR = new URL('../../../shared/fixtures/real/mosgorsud/', import.meta.url);
const exists = existsSync(fileURLToPath(DIR));
const bytes = (name: string) => readFileSync(new URL(name, DIR));

const strip = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
/** Value of a `div.left` label, by regex. */
function rawPair(html: string, label: string): string | null {
  const m = new RegExp(`<div class="left">\\s*${label}\\s*</div>\\s*<div class="right">([\\s\\S]*?)</div>\\s*</div>`).exec(html);
  return m?.[1] ? strip(m[1]) : null;
}
/** Parties: `<p class="table-bold-text">Role</p>Name<br>`. */
function rawParties(html: string): Array<[string, string]> {
  return [...html.matchAll(/<p class="table-bold-text">([^<]+)<\/p>([^<]+)<br\s*\/?>/g)].map((m) => [strip(m[1] ?? ''), strip(m[2] ?? '')]);
}
/** Body rows of the first table after `<h3>title</h3>`. */
function rawRowCount(html: string, title: string): number {
  const at = html.indexOf(`<h3>${title}`);
  if (at < 0) return 0;
  const t = html.slice(html.indexOf('<tbody>', at), html.indexOf('</table>', at));
  return (t.match(/<tr[\s>]/g) ?? []).length;
}

interface Facts {
  file: string;
  uid: string;
  caseNumber: string;
  materialNumber: string | null;
  registeredAt: string;
  decisionDate: string;
  effectiveAt: string;
}
const CARDS: Facts[] = [
  { file: 'card_mos-gorsud_first_admin.html', uid: '77OS0000-01-2020-003295-18', caseNumber: '3а-3843/2020', materialNumber: 'Ма-0639/2020', registeredAt: '2020-03-18', decisionDate: '2020-10-16', effectiveAt: '2020-11-27' },
  { file: 'card_mos-gorsud_starodubtseva.html', uid: '', caseNumber: '02-3501/2025', materialNumber: null, registeredAt: '', decisionDate: '2025-10-06', effectiveAt: '2026-04-14' },
];

describe.skipIf(!exists)('mos-sud parsers on real mos-gorsud pages', () => {
  for (const f of CARDS) {
    it(`reads ${f.file}`, () => {
      const raw = decodeHtml(bytes(f.file));
      const url = 'https://mos-gorsud.ru/mgs/services/cases/first-admin/details/f89bca93-e99c-46fa-b65d-03be99e914d6';
      expect(classifyPage(bytes(f.file), { url })).toBe('case_card');
      const r = parsePage('court-case', bytes(f.file), { url }) as CourtCaseRecord;
      expect(r.template).toBe('mos-sud');
      expect(r.caseNumber).toBe(f.caseNumber);
      if (f.materialNumber) expect(r.materialNumber).toBe(f.materialNumber);
      if (f.uid) expect(r.uid).toBe(f.uid);
      else expect(r.uid).toBe(rawPair(raw, 'Уникальный идентификатор дела')?.match(/\d{2}[A-Z]{2}\d{4}-\d{2}-\d{4}-\d{6}-\d{2}/)?.[0] ?? null);
      if (f.registeredAt) expect(r.registeredAt).toBe(f.registeredAt);
      expect(r.decision.date).toBe(f.decisionDate);
      expect(r.effectiveAt).toBe(f.effectiveAt);
      expect(r.status).toBe('in_force');
      // «Cудья» with a Latin C on the page; the judge comes through.
      expect(raw).toContain('<div class="left"> Cудья');
      expect(r.judge).toBe(rawPair(raw, 'Cудья'));
      expect(r.parties.map((p) => [p.role, p.name])).toEqual(rawParties(raw));
      expect(r.parties.map((p) => p.roleNorm)).toEqual(expect.arrayContaining(['claimant', 'debtor']));
      const states = rawRowCount(raw, 'История состояний');
      const sessions = rawRowCount(raw, 'Судебные заседания');
      expect(states).toBeGreaterThan(2);
      expect(r.events).toHaveLength(states + sessions);
      expect(r.events.every((e) => e.date === null || /^\d{4}-\d{2}-\d{2}$/.test(e.date))).toBe(true);
      // Court code is never taken from the UID.
      expect(r.court.code).toBeNull();
      expect(r.court.host).toBe('mos-gorsud.ru');
    });
  }

  it('reads the participant search list', () => {
    const raw = decodeHtml(bytes('search_mos-gorsud_participant.html'));
    const url = 'https://mos-gorsud.ru/search?participant=x';
    expect(classifyPage(bytes('search_mos-gorsud_participant.html'), { url })).toBe('search_results');
    const res = parsePage('court-search', bytes('search_mos-gorsud_participant.html'), { url }) as CourtSearchResult;
    const rows = (raw.match(/<tr data-href="[^"]*\/details\//g) ?? []).length;
    expect(rows).toBeGreaterThan(3);
    expect(res.total).toBe(rows);
    expect(res.cases[0]!.caseNumber).toMatch(/^3а-\d+\/\d{4}$/);
    expect(res.cases.every((c) => /^https:\/\/mos-gorsud\.ru\/mgs\/services\/cases\/.+\/details\/[0-9a-f-]{36}/.test(c.url ?? ''))).toBe(true);
  });

  it('picks the row of a case number from the real list, as the by-number lookup does', () => {
    const url = 'https://mos-gorsud.ru/search?formType=shortForm&caseNumber=x';
    const res = parsePage('court-search', bytes('search_mos-gorsud_participant.html'), { url }) as CourtSearchResult;
    // First row of the page: «3а-2719/2023», card df043061-… (read from the page).
    expect(pickMosSudResult(res, '3а-2719/2023')).toMatch(/\/details\/df043061-4638-11ed-8d08-f17fce8d2817\?/);
    expect(pickMosSudResult(res, '3А-2719/2023')).toMatch(/df043061-4638-11ed-8d08-f17fce8d2817/);
    expect(pickMosSudResult(res, '3а-2719/2024')).toBeNull();
  });
});
