/** One CSV row: its cells and, when the row is malformed, why. */
export interface CsvRow {
  cells: string[];
  error: string | null;
}

/**
 * An incremental RFC 4180 reader for batch uploads: chunks in, complete rows out, so a 100 000-row
 * upload is never held as one string. Quotes, doubled quotes, CRLF; `,` or `;` as delimiter (as
 * cli/csv.ts reads files). Structural problems are reported per row, not thrown.
 */
export class CsvRowReader {
  private row: string[] = [];
  private cell = '';
  private quoted = false;
  /** A quoted cell closed: only a delimiter or a line end may follow. */
  private afterQuote = false;
  private pendingCr = false;
  private rowError: string | null = null;
  private started = false;
  /** Trailing `"`s held back: one may be half of a `""` split across chunks. */
  private carry = '';

  /** Feeds text; returns the rows it completed. */
  feed(text: string): CsvRow[] {
    let src = this.carry + text;
    this.carry = '';
    if (!this.started && src.length > 0) {
      src = src.replace(/^\uFEFF/, '');
      this.started = true;
    }
    // Hold back the whole trailing run of quotes: what they mean depends on the next character.
    const run = /"+$/.exec(src);
    if (run) {
      this.carry = run[0];
      src = src.slice(0, run.index);
    }
    return this.scan(src);
  }

  /** Ends the input; returns the last row, if any. An unclosed quote is an error of that row. */
  end(): CsvRow[] {
    const out = this.scan(this.carry);
    this.carry = '';
    if (this.quoted) {
      this.row.push(this.cell);
      out.push({ cells: this.row, error: 'a quoted cell is not closed before the end of the file' });
    } else if (this.cell !== '' || this.row.length > 0) {
      this.row.push(this.cell);
      out.push({ cells: this.row, error: this.rowError });
    }
    this.row = [];
    this.cell = '';
    return out;
  }

  private scan(src: string): CsvRow[] {
    const out: CsvRow[] = [];
    for (let i = 0; i < src.length; i++) {
      const ch = src[i]!;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') continue;
      }
      if (this.quoted) {
        if (ch !== '"') this.cell += ch;
        else if (src[i + 1] === '"') {
          this.cell += '"';
          i++;
        } else {
          this.quoted = false;
          this.afterQuote = true;
        }
      } else if (ch === ',' || ch === ';') {
        this.row.push(this.cell);
        this.cell = '';
        this.afterQuote = false;
      } else if (ch === '\n' || ch === '\r') {
        this.pendingCr = ch === '\r';
        this.row.push(this.cell);
        out.push({ cells: this.row, error: this.rowError });
        this.row = [];
        this.cell = '';
        this.afterQuote = false;
        this.rowError = null;
      } else if (this.afterQuote) {
        this.rowError ??= `text after the closing quote of cell ${this.row.length + 1}`;
        this.cell += ch;
      } else if (ch === '"' && this.cell === '') {
        this.quoted = true;
      } else this.cell += ch;
    }
    return out;
  }
}
