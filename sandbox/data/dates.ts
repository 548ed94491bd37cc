/** Calendar helpers on ISO `YYYY-MM-DD` strings (UTC arithmetic, no clock, no time zones). */

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `iso` plus `days` working days (Saturdays and Sundays skipped; holidays ignored in the sandbox). */
export function addWorkingDays(iso: string, days: number): string {
  let out = iso;
  let left = days;
  while (left > 0) {
    out = addDays(out, 1);
    if (!isWeekend(out)) left--;
  }
  return out;
}

/** The same day or the next Monday when `iso` falls on a weekend: courts register on working days. */
export function toWorkingDay(iso: string): string {
  let out = iso;
  while (isWeekend(out)) out = addDays(out, 1);
  return out;
}

function isWeekend(iso: string): boolean {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** `YYYY-MM-DD` → `DD.MM.YYYY` (how sudrf prints dates). */
export function toRuDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** `DD.MM.YYYY` → `YYYY-MM-DD`, or null when it is not a real date. */
export function fromRuDate(text: string): string | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}
