import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProductionCalendar, ProductionCalendar } from './production-calendar.ts';

const cal = loadProductionCalendar();

describe('Russian production calendar 2024–2027', () => {
  it('gives the published yearly totals of working days', () => {
    // 2024–2026: the published totals (consultant.ru production calendars). 2027: counted by hand
    // from DOMAIN.md §1.6 — 261 weekdays − 15 weekday holidays/transfers + Saturday 20 Feb = 247.
    expect([2024, 2025, 2026, 2027].map((y) => cal.workingDaysInYear(y))).toEqual([248, 247, 247, 247]);
  });

  it('knows a holiday transfer: 2 May 2025 is off (moved from 4 Jan), Saturday 1 Nov 2025 is worked', () => {
    expect(cal.kindOf('2025-05-02')).toBe('holiday');
    expect(cal.isWorkingDay('2025-11-01')).toBe(true);
    expect(cal.isWorkingDay('2025-11-03')).toBe(false);
    // The Saturday the 2 May day off came from is a holiday itself and stays off.
    expect(cal.isWorkingDay('2025-01-04')).toBe(false);
  });

  it('treats the 2024 Saturdays named only by f= as working days (the xmlcalendar data bug)', () => {
    expect(cal.data.years['2024']!.some((d) => d.d === '04.27' || d.d === '12.28')).toBe(false);
    expect(cal.kindOf('2024-04-27')).toBe('working_weekend');
    expect(cal.kindOf('2024-12-28')).toBe('working_weekend');
    expect(cal.kindOf('2024-11-02')).toBe('short');
    expect(cal.isWorkingDay('2024-04-29')).toBe(false);
    expect(cal.isWorkingDay('2024-12-30')).toBe(false);
  });

  it('adds working days across the May holidays and counts them between dates', () => {
    // Mon 28 Apr 2025: 29, 30 Apr, then 1–4 May off (2 May by transfer), 5, 6, 7 May.
    expect(cal.addWorkingDays('2025-04-30', 1)).toBe('2025-05-05');
    expect(cal.addWorkingDays('2025-04-28', 5)).toBe('2025-05-07');
    expect(cal.addWorkingDays('2025-05-07', -5)).toBe('2025-04-28');
    expect(cal.workingDaysBetween('2025-04-28', '2025-05-07')).toBe(5);
    expect(cal.workingDaysBetween('2025-05-07', '2025-04-28')).toBe(-5);
    expect(cal.addWorkingDays('2025-12-30', 1)).toBe('2026-01-12');
    expect(cal.nextWorkingDay('2026-01-03')).toBe('2026-01-12');
    expect(() => cal.addWorkingDays('2025-02-30', 1)).toThrow(/no such date/);
  });

  it('applies an admin override: days replaced, a new year added, t=0 clears an exception', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cal-'));
    const file = join(dir, 'override.json');
    writeFileSync(file, JSON.stringify({ years: { '2025': [{ d: '05.02', t: 0 }, { d: '09.01', t: 1 }], '2028': [{ d: '01.03', t: 1 }] } }));
    const o = loadProductionCalendar({ overridePath: file });
    expect(o.isWorkingDay('2025-05-02')).toBe(true);
    expect(o.isWorkingDay('2025-09-01')).toBe(false);
    expect(o.workingDaysInYear(2025)).toBe(247);
    expect(o.covers(2028)).toBe(true);
    expect(o.isWorkingDay('2028-01-03')).toBe(false);
    writeFileSync(file, JSON.stringify({ years: { '2028': [{ d: '13.01', t: 1 }] } }));
    expect(() => loadProductionCalendar({ overridePath: file })).toThrow(/override\.json: years\.2028\.0\.d/);
  });

  it('falls back to the plain week outside the data', () => {
    const bare = new ProductionCalendar({ years: {} });
    expect(bare.covers(2025)).toBe(false);
    expect(bare.isWorkingDay('2025-05-02')).toBe(true);
    expect(bare.workingDaysInYear(2025)).toBe(261);
  });
});
