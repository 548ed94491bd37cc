/**
 * Field accuracy of a `parse document` result against the expected fields typed by hand: every
 * leaf of the expected object (`kind`, `fields.debtor.name`, …, nulls included) is one field,
 * right when the result holds exactly that value. Used by the corpus tests and bench/.
 */

/** One compared leaf. */
export interface FieldVerdict {
  path: string;
  want: unknown;
  got: unknown;
  ok: boolean;
}

function leaves(value: unknown, path: string, out: Array<[string, unknown]>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.push([path, value]);
}

function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined ? null : cur;
}

/** Leaf-by-leaf verdicts of `got` ({ kind, fields }) against `want`. */
export function scoreFields(want: { kind: string; fields: object }, got: { kind: string; fields: unknown }): FieldVerdict[] {
  const expected: Array<[string, unknown]> = [];
  leaves(want, '', expected);
  return expected.map(([path, w]) => {
    const g = at(got, path);
    return { path, want: w, got: g, ok: JSON.stringify(g) === JSON.stringify(w) };
  });
}
