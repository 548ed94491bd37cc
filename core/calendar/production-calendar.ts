/**
 * The Russian production calendar: which calendar dates are working days, for counting the
 * "N дней" deadlines of ГПК and 229-ФЗ (working days since 451-ФЗ, DOMAIN.md §0.2, §1.5).
 * Data: `ru-2024-2027.json` beside this file (xmlcalendar/data, shape of its calendar.xml), plus an
 * optional admin override file. Pure: no clock, no I/O except `loadProductionCalendar`.
 * Dates are ISO `YYYY-MM-DD` calendar dates in the court's local time.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One `<day>` of xmlcalendar: `t` 1 day off, 2 shortened working day, 3 working weekend day; 0 (override only) ordinary day. */
export interface CalendarDay {
  /** `MM.DD`. */
  d: string;
  t: 0 | 1 | 2 | 3;
  /** `MM.DD` the day off was moved from. */
  f?: string;
  h?: number;
}

/** The JSON file: exceptions per year. */
export interface CalendarData {
  source?: string;
  version?: string;
  years: Record<string, CalendarDay[]>;
}

const MMDD = /^(0[1-9]|1[0-2])\.(0[1-9]|[12]\d|3[01])$/;
const dataSchema = z.object({
  source: z.string().optional(),
  version: z.string().optional(),
  years: z.record(
    z.string().regex(/^\d{4}$/, 'a year such as 2028'),
    z.array(z.object({ d: z.string().regex(MMDD, 'MM.DD'), t: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]), f: z.string().regex(MMDD, 'MM.DD').optional(), h: z.number().optional() }).passthrough()),
  ),
}).passthrough();

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Kind of one date: a working day (maybe shortened) or a day off, and why. */
export type DayKind = 'working' | 'short' | 'working_weekend' | 'weekend' | 'holiday';

/**
 * A production calendar over the years its data cover. Outside them it falls back to the plain
 * Mon–Fri week (check `covers(year)` where that matters).
 */
export class ProductionCalendar {
  private readonly kinds = new Map<string, DayKind>();
  private readonly years: Set<number>;

  constructor(readonly data: CalendarData) {
    this.years = new Set(Object.keys(data.years).map(Number));
    for (const [year, days] of Object.entries(data.years)) {
      const listedOff = new Set(days.filter((x) => x.t === 1).map((x) => x.d));
      for (const day of days) {
        const iso = `${year}-${day.d.replace('.', '-')}`;
        if (day.t === 1) this.kinds.set(iso, 'holiday');
        else if (day.t === 2) this.kinds.set(iso, 'short');
        else if (day.t === 3) this.kinds.set(iso, 'working_weekend');
      }
      // A weekend date a day off was moved *from* is worked instead — unless it is itself a holiday
      // (2025: 02.05 f=01.04, and 4 January is a holiday that stays off). ru/2024 lists its working
      // Saturdays 27.04 and 28.12 only this way, without a t=3 entry (DOMAIN.md §1.6, data bug).
      for (const day of days) {
        if (!day.f || listedOff.has(day.f)) continue;
        const from = `${year}-${day.f.replace('.', '-')}`;
        if (isWeekend(from) && !this.kinds.has(from)) this.kinds.set(from, 'working_weekend');
      }
    }
  }

  /** Whether the data cover `year` (else the calendar answers by weekday only). */
  covers(year: number): boolean {
    return this.years.has(year);
  }

  /** What kind of day `date` is. */
  kindOf(date: string): DayKind {
    toUtc(date);
    return this.kinds.get(date) ?? (isWeekend(date) ? 'weekend' : 'working');
  }

  isWorkingDay(date: string): boolean {
    const k = this.kindOf(date);
    return k === 'working' || k === 'short' || k === 'working_weekend';
  }

  /**
   * The `n`-th working day after `date` (a term counted from an event starts the next day,
   * ГПК ст.107 ч.3; a last day on a day off moves to the next working day, ст.108 ч.2 — both follow
   * from counting working days only). `n = 0` returns `date` itself; negative `n` counts backwards.
   * @example addWorkingDays('2025-04-30', 1) === '2025-05-05' (1–4 May off, 2 May by transfer)
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
    let t = toUtc(date);
    const step = n < 0 ? -DAY_MS : DAY_MS;
    for (let left = Math.abs(n); left > 0; ) {
      t += step;
      if (this.isWorkingDay(fromUtc(t))) left -= 1;
    }
    return fromUtc(t);
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: string): string {
    return this.isWorkingDay(date) ? date : this.addWorkingDays(date, 1);
  }

  /** Working days in `(from, to]`: after `from`, up to and including `to`; negative when `to` < `from`. */
  workingDaysBetween(from: string, to: string): number {
    const a = toUtc(from);
    const b = toUtc(to);
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let t = lo + DAY_MS; t <= hi; t += DAY_MS) if (this.isWorkingDay(fromUtc(t))) count += 1;
    return sign * count;
  }

  /** Working days in a calendar year (the published yearly total, e.g. 248 for 2024). */
  workingDaysInYear(year: number): number {
    return this.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`);
  }
}

/** Options of {@link loadProductionCalendar}. */
export interface ProductionCalendarOptions {
  /**
   * Admin override: a JSON file of the same shape. Its days replace the shipped days of the same
   * date (`t: 0` removes an exception); a year the shipped data lack is added whole. Use it when a
   * new year's transfers are published, or for a region's own holidays.
   */
  overridePath?: string | null;
}

const shipped = (): CalendarData => JSON.parse(readFileSync(new URL('./ru-2024-2027.json', import.meta.url), 'utf8')) as CalendarData;

/** The shipped calendar with the override applied. Throws naming the file on a malformed override. */
export function loadProductionCalendar(options: ProductionCalendarOptions = {}): ProductionCalendar {
  const base = parseCalendarData(shipped(), 'core/calendar/ru-2024-2027.json');
  if (!options.overridePath) return new ProductionCalendar(base);
  const override = parseCalendarData(JSON.parse(readFileSync(options.overridePath, 'utf8')), options.overridePath);
  return new ProductionCalendar(mergeCalendarData(base, override));
}

/** Validates calendar JSON; the error names the file and the bad path. */
export function parseCalendarData(raw: unknown, name: string): CalendarData {
  const parsed = dataSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`calendar ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data as CalendarData;
}

/** `base` with `override`'s days replacing those of the same date. */
export function mergeCalendarData(base: CalendarData, override: CalendarData): CalendarData {
  const years: Record<string, CalendarDay[]> = {};
  for (const year of new Set([...Object.keys(base.years), ...Object.keys(override.years)])) {
    const byDay = new Map((base.years[year] ?? []).map((d) => [d.d, d]));
    for (const d of override.years[year] ?? []) byDay.set(d.d, d);
    years[year] = [...byDay.values()].filter((d) => d.t !== 0);
  }
  return { ...base, version: `${base.version ?? ''}+override`, years };
}

function toUtc(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`expected a YYYY-MM-DD date, got "${date}"`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (fromUtc(t) !== date) throw new RangeError(`no such date: ${date}`);
  return t;
}

function fromUtc(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const wd = new Date(toUtc(date)).getUTCDay();
  return wd === 0 || wd === 6;
}
