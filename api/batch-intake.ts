import type { Readable } from 'node:stream';
import { isJobName, JOB_NAMES, type JobName } from '../queues/names.ts';
import { INPUT_SCHEMAS } from '../queues/payloads.ts';
import { validateSubmitRequests, type RowError, type SubmitRequest, type ValidRequest } from '../queues/submit.ts';
import { CsvRowReader } from './csv-rows.ts';
import { ApiError, issueSentences } from './errors.ts';
import { batchRowEnvelopeSchema } from './schemas.ts';

/** A batch read and checked: every valid row, or the list of every invalid one. */
export interface BatchIntake {
  rows: number;
  valid: ValidRequest[];
  rowErrors: RowError[];
}

export interface CsvBatchOptions {
  /** Lookup type of every row (`?type=`, default `court.case`). */
  type: string;
  maxRows: number;
  maxBytes: number;
}

/**
 * Reads a CSV upload as it streams in: header `court,number,uid,caseId,caseUid,mode,clientKey` (any
 * input field of the type; `clientKey` is the idempotency key), one lookup per row, empty cells
 * left out. Each row becomes a request as soon as it is complete; only the requests are kept.
 * Too many rows or bytes → 413 at once, without reading the rest.
 */
export async function readCsvBatch(body: Readable, options: CsvBatchOptions): Promise<BatchIntake> {
  if (!isJobName(options.type)) {
    throw new ApiError(400, 'bad_input', `type: unknown lookup type "${options.type}"; expected one of ${JOB_NAMES.join(', ')}`, { issues: ['query.type: unknown lookup type'] });
  }
  const columns = csvColumnsOf(options.type);
  const reader = new CsvRowReader();
  const decoder = new TextDecoder('utf-8');
  const requests: SubmitRequest[] = [];
  const structural = new Map<number, string>();
  let header: string[] | null = null;
  let bytes = 0;
  const take = (rows: Array<{ cells: string[]; error: string | null }>) => {
    for (const { cells, error } of rows) {
      if (cells.every((c) => c.trim() === '')) continue;
      if (!header) {
        header = cells.map((c) => c.trim());
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) throw new ApiError(400, 'bad_input', `CSV header: column "${dup}" appears twice`, { issues: [`header: duplicate column ${dup}`] });
        if (header.some((h) => h === '')) throw new ApiError(400, 'bad_input', 'CSV header: an empty column name', { issues: ['header: empty column name'] });
        const unknown = header.filter((h) => !columns.has(h));
        if (unknown.length > 0) {
          const list = unknown.map((u) => `"${u}"`).join(', ');
          throw new ApiError(400, 'bad_input', `CSV header: unknown column(s) ${list} for ${options.type}; expected columns from ${[...columns].join(', ')}`, {
            issues: unknown.map((u) => `header: unknown column ${u}`),
          });
        }
        continue;
      }
      const rowNo = requests.length + 1;
      if (rowNo > options.maxRows) throw new ApiError(413, 'too_large', `batch has more than ${options.maxRows} rows`);
      if (error) structural.set(rowNo, error);
      else if (cells.length > header.length) structural.set(rowNo, `${cells.length} cells but the header has ${header.length} columns`);
      // No prototype: a column name can never reach Object.prototype (the header is checked too).
      const input: Record<string, string> = Object.create(null) as Record<string, string>;
      let clientKey: string | undefined;
      header.forEach((col, i) => {
        const value = cells[i]?.trim();
        if (value === undefined || value === '') return;
        if (col === 'clientKey') clientKey = value;
        else input[col] = value;
      });
      requests.push({ type: options.type, input: { ...input }, clientKey });
    }
  };
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    if (bytes > options.maxBytes) throw new ApiError(413, 'too_large', `request body larger than ${options.maxBytes} bytes`);
    take(reader.feed(decoder.decode(chunk as Buffer, { stream: true })));
  }
  take(reader.feed(decoder.decode()));
  take(reader.end());
  if (!header) throw new ApiError(400, 'bad_input', 'CSV is empty: expected a header row and at least one row', { issues: ['body: empty CSV'] });
  if (requests.length === 0) throw new ApiError(400, 'bad_input', 'CSV has a header but no rows', { issues: ['body: no rows'] });
  return check(requests, structural);
}

/**
 * The documented CSV columns of a lookup type: the input fields of its schema (every variant of
 * a union, e.g. fssp.search's person/ip/document/legal) and `clientKey`.
 */
export function csvColumnsOf(type: JobName): Set<string> {
  const schema = INPUT_SCHEMAS[type] as unknown as { shape?: Record<string, unknown>; options?: Array<{ shape?: Record<string, unknown> }> };
  const shapes = schema.shape ? [schema.shape] : (schema.options ?? []).map((o) => o.shape ?? {});
  return new Set([...shapes.flatMap((s) => Object.keys(s)), 'clientKey']);
}

/** A JSON batch: an array of `{ type, input, clientKey? }`. */
export function readJsonBatch(body: unknown, maxRows: number): BatchIntake {
  if (!Array.isArray(body)) throw new ApiError(400, 'bad_input', 'body: expected a JSON array of { type, input, clientKey? }', { issues: ['body: expected an array'] });
  if (body.length > maxRows) throw new ApiError(413, 'too_large', `batch has ${body.length} rows; at most ${maxRows}`);
  if (body.length === 0) throw new ApiError(400, 'bad_input', 'body: the batch is empty', { issues: ['body: expected at least one row'] });
  const structural = new Map<number, string>();
  const requests: SubmitRequest[] = body.map((row, i) => {
    const env = batchRowEnvelopeSchema.safeParse(row);
    if (!env.success) {
      structural.set(i + 1, issueSentences(env.error).join('; '));
      return { type: '', input: undefined };
    }
    return { type: env.data.type, input: env.data.input, clientKey: env.data.clientKey };
  });
  return check(requests, structural);
}

/** Validates every row (queues/submit.ts rules); a structural problem replaces the row's other errors. */
function check(requests: SubmitRequest[], structural: Map<number, string>): BatchIntake {
  const { valid, rowErrors } = validateSubmitRequests(requests);
  const byRow = new Map(rowErrors.map((r) => [r.row, r]));
  for (const [row, error] of structural) byRow.set(row, { row, errors: [error] });
  return { rows: requests.length, valid, rowErrors: [...byRow.values()].sort((a, b) => a.row - b.row) };
}
