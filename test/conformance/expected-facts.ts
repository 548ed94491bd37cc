/**
 * The check syntax of ../shared/fixtures/real/EXPECTED.json (its "about"), as a pure function:
 * `path` is dotted (`decision.date`, `events.length`, `parties.0.role` = the first item's role,
 * `cases.caseNumber` = that field of every item);
 * a string value may start with `startsWith:`, `contains:` or `set:a|b|c` (every listed prefix matched
 * by exactly one item); a list of objects means each object must match some returned item.
 * `contains:` ignores letter case: pages write the same result in capitals on one court's card and
 * in lower case on another («УДОВЛЕТВОРЕН ЧАСТИЧНО» / «удовлетворен частично»), and the record keeps
 * the page's own spelling. Exact values and `startsWith:` compare as written.
 */

/** One failed fact: where, what was expected, what the record holds there. */
export interface FactFailure {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** The value at a dotted path; `x.length` is a list's length, `list.field` maps over the list. */
export function valueAt(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (Array.isArray(value)) {
      if (key === 'length') value = value.length;
      else if (/^\d+$/.test(key)) value = value[Number(key)]; // `parties.0.role`: the first item
      else value = value.map((item) => (item as Record<string, unknown>)?.[key]);
    } else if (value && typeof value === 'object') value = (value as Record<string, unknown>)[key];
    else return undefined;
  }
  return value;
}

/** Whether `actual` satisfies one expected scalar or string check. */
export function matchesScalar(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string') {
    if (expected.startsWith('startsWith:')) return typeof actual === 'string' && actual.startsWith(expected.slice(11));
    if (expected.startsWith('contains:')) return typeof actual === 'string' && actual.toLowerCase().includes(expected.slice(9).toLowerCase());
    if (expected.startsWith('set:')) {
      if (!Array.isArray(actual)) return false;
      const prefixes = expected.slice(4).split('|');
      return prefixes.every((p) => actual.filter((a) => typeof a === 'string' && a.startsWith(p)).length === 1);
    }
  }
  return actual === expected;
}

/** Whether `item` matches every field of the expected object `pattern`. */
export function matchesObject(item: unknown, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, want]) => matchesScalar(valueAt(item, key), want));
}

/**
 * Checks one fact; returns the failures (one per unmatched list pattern, or one for the scalar).
 * Each object of a list is a fact of its own: `countFacts` counts them the same way.
 */
export function checkFact(record: unknown, path: string, expected: unknown): FactFailure[] {
  const actual = valueAt(record, path);
  if (Array.isArray(expected)) {
    const items = Array.isArray(actual) ? actual : [];
    return expected
      .filter((pattern) => !items.some((item) => matchesObject(item, pattern as Record<string, unknown>)))
      .map((pattern) => ({ path, expected: pattern, actual: items }));
  }
  return matchesScalar(actual, expected) ? [] : [{ path, expected, actual }];
}

/** How many facts an `expect` object holds (each object of a list counts once). */
export function countFacts(expect: Record<string, unknown>): number {
  return Object.values(expect).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 1), 0);
}

/** Every failed fact of `expect` against `record`. */
export function checkFacts(record: unknown, expect: Record<string, unknown>): FactFailure[] {
  return Object.entries(expect).flatMap(([path, want]) => checkFact(record, path, want));
}
