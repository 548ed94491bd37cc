/**
 * Generated bad requests for the HTTP API: wrong types, huge strings, Mongo operator injection,
 * broken JSON and CSV, non-UTF-8 bytes, unknown fields, filter injection in query strings. Each
 * one must be answered 4xx with a clear `{ error: { code, message } }` and store nothing.
 */
import { createPrng, type Prng } from '../../sandbox/data/prng.ts';

/** One request as fastify's `inject` takes it. */
export interface BadRequest {
  kind: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const COURT = 'sovetsky.bkr.sudrf.ru';
const HUGE = 'я'.repeat(300_000);
const OPERATORS = [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, { $where: 'sleep(1000)' }, { $in: ['a'] }, { $exists: true }];
const NON_UTF8 = [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('Ленинский', 'latin1'), Buffer.from([0xe0, 0xee, 0xf1])];

/** Values that are wrong for a string field. */
function badValue(rng: Prng): unknown {
  const pool: unknown[] = [123, -1, 1e308, true, null, [], ['a'], {}, { a: 1 }, '', ' ', '\u0000', HUGE.slice(0, 1 + Math.floor(rng.next() * 100_000)), '<script>alert(1)</script>', '../../etc/passwd', 'http://169.254.169.254/latest/meta-data/', ...OPERATORS];
  return pool[Math.floor(rng.next() * pool.length)];
}

const json = (kind: string, url: string, body: unknown): BadRequest => ({ kind, method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const raw = (kind: string, url: string, contentType: string, payload: string | Buffer): BadRequest => ({ kind, method: 'POST', url, headers: { 'content-type': contentType }, payload });

/** `count` bad API requests, deterministic for a seed. */
export function badApiRequests(count: number, seed = 9): BadRequest[] {
  const rng = createPrng(seed);
  const makers: Array<(i: number) => BadRequest> = [
    // Wrong types of the envelope and of each input field.
    () => json('wrong_type', '/v1/lookups', { type: badValue(rng), input: { court: COURT, number: '2-1/2024' } }),
    () => json('wrong_type', '/v1/lookups', { type: 'court.case', input: badValue(rng) }),
    () => json('wrong_type', '/v1/lookups', { type: 'court.case', input: { court: badValue(rng), number: '2-1/2024' } }),
    () => json('wrong_type', '/v1/lookups', { type: 'court.case', input: { court: COURT, number: badValue(rng) } }),
    () => json('wrong_type', '/v1/lookups', { type: 'court.case', input: { court: COURT, uid: badValue(rng) } }),
    () => json('wrong_type', '/v1/lookups', { type: 'fssp.search', input: { lastName: badValue(rng), firstName: 'И', birthDate: badValue(rng), region: badValue(rng) } }),
    () => json('wrong_type', '/v1/lookups', { type: 'court.case', input: { court: COURT, number: '2-1/2024' }, clientKey: badValue(rng) ?? 'x'.repeat(500) }),
    // Huge strings.
    () => json('huge', '/v1/lookups', { type: 'court.case', input: { court: HUGE, number: '2-1/2024' } }),
    () => json('huge', '/v1/lookups', { type: 'court.case', input: { court: COURT, number: HUGE } }),
    // Operator injection in every place a value goes.
    () => json('operator', '/v1/lookups', { type: 'court.case', input: { court: OPERATORS[Math.floor(rng.next() * OPERATORS.length)], number: { $gt: '' } } }),
    () => json('operator', '/v1/lookups', { type: { $gt: '' }, input: { court: COURT, number: '2-1/2024' } }),
    () => json('operator', '/v1/lookups', { type: 'court.case', input: { $where: '1', court: COURT, number: '2-1/2024' } }),
    () => json('operator', '/v1/lookups/batch', [{ type: 'court.case', input: { court: COURT, number: '2-1/2024' } }, { type: 'court.case', input: { court: { $ne: 1 }, number: '2-2/2024' } }]),
    // Unknown fields, prototype pollution, deep nesting.
    () => raw('unknown_field', '/v1/lookups', 'application/json', `{"type":"court.case","input":{"court":"${COURT}","number":"2-1/2024"},"__proto__":{"admin":true},"extra":1}`),
    () => json('unknown_field', '/v1/lookups', { type: 'court.case', input: { court: COURT, number: '2-1/2024', status: 'succeeded' } }),
    () => raw('deep', '/v1/lookups', 'application/json', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`),
    // Broken JSON, wrong content types, non-UTF-8 bytes.
    () => raw('broken_json', '/v1/lookups', 'application/json', `{"type":"court.case","input":{"court":"${COURT}"`),
    () => raw('broken_json', '/v1/lookups', 'application/json', ''),
    () => raw('content_type', '/v1/lookups', 'application/xml', '<lookup/>'),
    () => raw('non_utf8', '/v1/lookups', 'application/json', Buffer.concat([Buffer.from(`{"type":"court.case","input":{"court":"`), NON_UTF8[Math.floor(rng.next() * NON_UTF8.length)]!, Buffer.from(`","number":"2-1/2024"}}`)])),
    // Batches: one bad row refuses all; broken CSV; non-UTF-8 CSV.
    () => json('batch_one_bad', '/v1/lookups/batch', [{ type: 'court.case', input: { court: COURT, number: '2-1/2024' } }, { type: 'court.case', input: { court: COURT } }]),
    () => json('batch_wrong_type', '/v1/lookups/batch', { not: 'an array' }),
    () => raw('csv_broken', '/v1/lookups/batch?type=court.case', 'text/csv', `court,number\n${COURT},"2-1/2024\n${COURT},2-2/2024\n`),
    () => raw('csv_broken', '/v1/lookups/batch?type=court.case', 'text/csv', `kourt,numbr\n${COURT},2-1/2024\n`),
    () => raw('csv_broken', '/v1/lookups/batch?type=court.case', 'text/csv', `court,number\n${COURT},2-1/2024,extra,cols\n`),
    () => raw('csv_broken', '/v1/lookups/batch?type=court.case', 'text/csv', ''),
    () => raw('csv_non_utf8', '/v1/lookups/batch?type=court.case', 'text/csv', Buffer.concat([Buffer.from('court,number\n'), NON_UTF8[Math.floor(rng.next() * NON_UTF8.length)]!, Buffer.from(',2-1/2024\n')])),
    () => raw('csv_bad_type', '/v1/lookups/batch?type=%24gt', 'text/csv', `court,number\n${COURT},2-1/2024\n`),
    // Filters: operator syntax in query strings, bad paging.
    () => ({ kind: 'filter', method: 'GET', url: `/v1/lookups?status[$ne]=x`, headers: {} }),
    () => ({ kind: 'filter', method: 'GET', url: `/v1/lookups?limit=${['-1', 'abc', '100000', '1e9', '{"$gt":0}'][Math.floor(rng.next() * 5)]}`, headers: {} }),
    () => ({ kind: 'filter', method: 'GET', url: `/v1/court-cases?court[$regex]=.*`, headers: {} }),
    () => ({ kind: 'filter', method: 'GET', url: `/v1/lookups?cursor=${'z'.repeat(600)}`, headers: {} }),
    () => ({ kind: 'filter', method: 'GET', url: `/v1/exports?collection=${encodeURIComponent('{"$gt":""}')}&format=csv`, headers: {} }),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!(i));
}
