/**
 * Conformance on every real court page in ../shared/fixtures/real/, run through the path of
 * `konveyer parse <kind> <file> --url URL` (parsers/index.ts parseSavedPage). Runs only where that
 * folder exists; pages are read from there at run time, never copied.
 * - EXPECTED.json: every case and every fact of it (check syntax: test/conformance/expected-facts.ts).
 * - MORE_FACTS (real-pages.more-facts.ts): further facts read off the same pages by hand for this suite (counts, rows,
 *   roles, absent values), in the same syntax. Typed from the pages, never from parser output.
 * - Every real page of the court and FSSP folders is checked here or in the conformance file that
 *   names it (sudrf/msudrf/mos-sud/fssp/captcha .conformance.test.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../core/errors.ts';
import { parseSavedPage, type SavedPageKind } from '../../parsers/index.ts';
import { checkFacts, countFacts } from './expected-facts.ts';
import { MORE_FACTS } from './real-pages.more-facts.ts';

const REAL = fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));
const exists = existsSync(`${REAL}EXPECTED.json`);

interface PageCase {
  file: string;
  kind: SavedPageKind;
  url: string;
  name?: string;
  expect: Record<string, unknown>;
}

const expected: PageCase[] = exists ? (JSON.parse(readFileSync(`${REAL}EXPECTED.json`, 'utf8')) as { cases: PageCase[] }).cases : [];

/** The record `konveyer parse` prints for a case, or the `{ error }` it prints instead. */
function parse(c: { file: string; kind: SavedPageKind; url: string }): unknown {
  try {
    return parseSavedPage(c.kind, readFileSync(REAL + c.file), { url: c.url });
  } catch (error) {
    const d = describeError(error);
    return { error: { code: d.code, message: d.message } };
  }
}

describe.skipIf(!exists)('real pages: EXPECTED.json through the `konveyer parse` path', () => {
  it('lists 27 pages, every one present in the folder', () => {
    expect(expected.length).toBe(27);
    for (const c of expected) expect(existsSync(REAL + c.file), c.file).toBe(true);
  });

  describe.each(expected)('$file', (c) => {
    it(`reads every fact of EXPECTED.json (${countFacts(c.expect)} facts)`, () => {
      const record = parse(c);
      expect((record as { error?: unknown }).error).toBeUndefined();
      expect(checkFacts(record, c.expect)).toEqual([]);
    });
    it.runIf(MORE_FACTS[c.file] !== undefined)('reads the further facts read off the page by hand', () => {
      expect(checkFacts(parse(c), MORE_FACTS[c.file]!)).toEqual([]);
    });
  });

  it('has further facts only for pages of EXPECTED.json', () => {
    for (const file of Object.keys(MORE_FACTS)) expect(expected.some((c) => c.file === file), file).toBe(true);
  });

  it('checks every real court and FSSP page: here, or in the conformance file that names it', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const others = readdirSync(dir).filter((f) => f.endsWith('.conformance.test.ts') && !f.startsWith('real-pages'))
      .map((f) => readFileSync(dir + f, 'utf8')).join('\n');
    const pages = ['sudrf', 'msudrf', 'mirsud', 'mosgorsud', 'fssp'].flatMap((folder) =>
      readdirSync(REAL + folder).filter((f) => /\.(html|jsonp)$/.test(f)).map((f) => `${folder}/${f}`));
    expect(pages.length).toBeGreaterThan(40);
    const unchecked = pages.filter((p) => !expected.some((c) => c.file === p) && !others.includes(p.split('/')[1]!));
    expect(unchecked).toEqual([]);
  });
});
