/**
 * When the real cards in ../shared/fixtures/real/ are final, through the `konveyer parse` path and
 * scheduler/case-finality.ts. Runs only where that folder exists; pages are read from there, never
 * copied. Expected facts were read off the pages by hand (rows quoted beside each) and the dates
 * counted by hand on the production calendar; the figure (how many cards get a final state, shown
 * or derived) is printed for the note.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import type { CourtCaseRecord } from '../../core/records.ts';
import { parseSavedPage } from '../../parsers/index.ts';
import { caseFinality, type CaseFinality } from '../../scheduler/case-finality.ts';

const REAL = fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));
const exists = existsSync(`${REAL}EXPECTED.json`);
const calendar = loadProductionCalendar();
const pages: Array<{ file: string; url: string; kind: string }> = exists ? JSON.parse(readFileSync(`${REAL}EXPECTED.json`, 'utf8')).cases : [];
const cards = pages.filter((p) => p.kind === 'court-case');

function finalityOf(fileEnd: string): CaseFinality {
  const page = cards.find((p) => p.file.endsWith(fileEnd));
  if (!page) throw new Error(`no such page in EXPECTED.json: ${fileEnd}`);
  const record = parseSavedPage('court-case', readFileSync(REAL + page.file), { url: page.url }) as CourtCaseRecord;
  return caseFinality(record, calendar);
}

describe.skipIf(!exists)('real cards: when final', () => {
  it('shown on the card: «Дата вступления в законную силу | 29.08.2026» (Anadyr, КоАП 5-374/2026)', () => {
    expect(finalityOf('anadyr_87MS0001_5-374-2026_koap_in_force.dom.html')).toMatchObject({ final: true, source: 'shown', effectiveAt: '2026-08-29' });
  });

  it('appealed and upheld: in force the day of the appeal ruling, not a month after the decision (Syktyvkar 2-7212/2025)', () => {
    // ОБЖАЛОВАНИЕ: «ЖАЛОБА № 1 | Апелляционная жалоба (на не вступивший в силу судебный акт)», «Дата рассмотрения
    // жалобы | 06.10.2025», «Результат обжалования | Оставить решение (определение) БЕЗ ИЗМЕНЕНИЯ…»; the appeal card
    // of the Supreme Court of Komi (33-4818/2025) shows the same day. The writs of 21.08.2025 come before it (immediate execution).
    expect(finalityOf('card_oldtpl_syktyvkar_2-7212-2025_civil.html')).toMatchObject({ state: 'derived', source: 'derived', rule: 'gpk-329-appeal-ruling', effectiveAt: '2025-10-06' });
    expect(finalityOf('card_oldtpl_vs_komi_33-4818-2025_civil_appeal.html')).toMatchObject({ rule: 'gpk-329-appeal-ruling', effectiveAt: '2025-10-06' });
  });

  it('an appeal sent up and not yet decided keeps the decision open (Tyumen 2-3891/2026)', () => {
    // «ЖАЛОБА № 1 | Апелляционная жалоба (на не вступивший в силу судебный акт)», «Направлено в вышестоящую инстанцию | 03.07.2026».
    expect(finalityOf('leninsky_tyumen_2-3891-2026_card_movement_sanitized.html')).toMatchObject({ state: 'open', final: false, effectiveAt: null });
  });

  it('a court order with no dispatch or receipt row: derived by ст.128–130 (Samara 2-1257/2026)', () => {
    // «Дело рассмотрено (выдан приказ) | 28.07.2026», no copy rows → sent by 4 Aug (29, 30, 31 Jul, 3, 4 Aug) → received
    // 11 Aug (+7) → 12–14, 17–21, 24, 25 Aug → last day 25 Aug → in force 26 Aug 2026.
    expect(finalityOf('6sam_63MS0006_2-1257-2026_court_order_utilities.dom.html')).toMatchObject({ state: 'derived', rule: 'gpk-128-130-order', effectiveAt: '2026-08-26' });
  });

  it('refused, returned and cancelled are ended; a pending claim is open', () => {
    for (const f of ['9-2297-2026_refused.dom.html', '9-2228-2026_returned.dom.html', '2-231-2026_court_order_cancelled.dom.html']) {
      expect(finalityOf(f), f).toMatchObject({ state: 'ended', final: true });
    }
    expect(finalityOf('2-1623-2026_civil_two_defendants_pending.dom.html')).toMatchObject({ state: 'open', final: false });
  });

  it('figure: real cards with a final state, shown or derived', () => {
    const states = cards.map((p) => {
      try {
        return caseFinality(parseSavedPage('court-case', readFileSync(REAL + p.file), { url: p.url }) as CourtCaseRecord, calendar).state;
      } catch {
        return 'unread';
      }
    });
    const count = (s: string) => states.filter((x) => x === s).length;
    const withState = count('in_force') + count('ended') + count('derived');
    console.log(`real cards: ${cards.length}; final state ${withState} (shown in force ${count('in_force')}, ended ${count('ended')}, derived by law ${count('derived')}); open ${count('open')}; unknown ${count('unknown')}; unread ${count('unread')}`);
    expect(count('unread')).toBe(0);
    // Every card that shows a decision gets a final state; the open ones show no decision yet or a pending appeal.
    expect(withState + count('open')).toBe(cards.length);
  });
});
