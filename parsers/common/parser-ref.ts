/**
 * Which parser read a record: its name (the parser family, e.g. `msudrf`) and its version, bumped
 * (semver) whenever its output changes for the same page. Stored with every record (its `source`)
 * and printed by `konveyer parse` as `parser: { name, version }`.
 */
export interface ParserRef {
  readonly name: string;
  readonly version: string;
}

/** How a record's `source.parserVersion` names its parser: `<name>-<version>`, e.g. `msudrf-1.0.0`. */
export function parserTag(parser: ParserRef): string {
  return `${parser.name}-${parser.version}`;
}

/** The parser a `source.parserVersion` tag names; null for a tag not of that form (`test`, older records). */
export function parserOfTag(tag: string): ParserRef | null {
  const m = /^(.+)-(\d+\.\d+\.\d+)$/.exec(tag);
  return m ? { name: m[1]!, version: m[2]! } : null;
}
