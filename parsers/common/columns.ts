import { headerKey } from './text.ts';

/**
 * Maps fields to column indexes by header text: for each field its aliases are tried first as
 * exact matches (all fields), then as a prefix, then as a substring of the still unclaimed
 * headers. A column is given to one field only, so list the more specific fields first
 * (`publishedAt` «Дата размещения» before `date` «Дата»).
 * `allowSubstring: false` stops after the prefix pass (for label/value rows, where a substring
 * would pick «Судья (мировой судья) первой инстанции» for «Судья»).
 * @returns field → column index; fields with no matching header are absent.
 */
export function mapColumns<F extends string>(
  headers: readonly string[],
  aliases: Readonly<Record<F, readonly string[]>>,
  options: { allowSubstring?: boolean } = {},
): Partial<Record<F, number>> {
  const keys = headers.map(headerKey);
  const claimed = new Set<number>();
  const result: Partial<Record<F, number>> = {};
  const fields = Object.keys(aliases) as F[];
  const allPasses: Array<(header: string, alias: string) => boolean> = [
    (h, a) => h === a,
    (h, a) => h.startsWith(a),
    (h, a) => h.includes(a),
  ];
  const passes = allPasses.slice(0, options.allowSubstring === false ? 2 : 3);
  for (const matches of passes) {
    for (const field of fields) {
      if (result[field] !== undefined) continue;
      for (const alias of aliases[field].map(headerKey)) {
        const index = keys.findIndex((h, i) => !claimed.has(i) && matches(h, alias));
        if (index >= 0) {
          result[field] = index;
          claimed.add(index);
          break;
        }
      }
    }
  }
  return result;
}
