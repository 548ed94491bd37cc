/**
 * Clients (issue 13): (1) the SSRF list — webhooks to every special-purpose range and to this
 * machine's own interfaces, at the API's port and `/%6fps/actions/drain`, must be refused at
 * registration, and one stored anyway must reach nothing at delivery; (2) cross-client reads — two
 * clients submit with the same idempotency keys, then each reads the other's lookups, batches,
 * records and exports, and personal data without `pii`; (3) CSV formulas — records whose values
 * start with = + - @ tab CR exported as CSV and XLSX. Counts what got through (must be 0).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import ExcelJS from 'exceljs';
import { CsvRowReader } from '../../api/csv-rows.ts';
import { createApiServer } from '../../api/server.ts';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { createWebhookNotifier, webhookQueue } from '../../queues/webhook.queue.ts';
import { startWebhookWorker } from '../../queues/webhook.worker.ts';
import { openReliabilityFarm, type FarmServices } from '../lib/farm.ts';

/** Options of {@link runClientsScenario}. */
export interface ClientsOptions {
  services: FarmServices;
  /** Lookups per client (each with an idempotency key both clients use); default 50. */
  lookupsPerClient?: number;
  log?: (line: string) => void;
}

/** Figures of a clients run. */
export interface ClientsFigures {
  ssrfTried: number;
  /** Webhook URLs into refused ranges that were registered anyway (must be 0). */
  ssrfAccepted: string[];
  /** Requests that reached the internal receiver from a webhook stored before the check (must be 0). */
  ssrfHits: number;
  /** Deliveries of that webhook refused at delivery (expected: one per finished lookup). */
  ssrfRefusedAtDelivery: number;
  crossClientReads: number;
  /** Reads that returned another client's lookup or record (must be 0). */
  crossClientLeaks: number;
  /** Submissions with another client's key that got that client's lookup back (must be 0). */
  foreignIdempotencyHits: number;
  /** Same key + other payload answered 409 (expected: one per lookup). */
  conflicts409: number;
  /** Answers without pii that still held a seeded name or birth date (must be 0). */
  piiLeaks: number;
  formulaCells: number;
  /** CSV cells starting with a formula character, not neutralised (must be 0). */
  csvFormulasLive: number;
  /** XLSX cells stored as formulas (must be 0). */
  xlsxFormulas: number;
  api5xx: number;
}

const RANGES = ['127.0.0.1', '10.0.0.1', '172.16.0.1', '192.168.0.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '192.0.0.1', '192.0.2.1', '198.51.100.1', '203.0.113.1', '198.18.0.1', '224.0.0.1', '240.0.0.1', '255.255.255.255',
  '[::1]', '[::]', '[::ffff:127.0.0.1]', '[::ffff:a00:1]', '[::127.0.0.1]', '[64:ff9b::7f00:1]', '[fc00::1]', '[fe80::1]', '[ff02::1]', '[2001:db8::1]', '[2002:7f00:1::1]', '[2001:0:a00:1::1]', '[100::1]'];
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(1,1)', '\t=1', '\r=1'];

/** Runs the clients scenario and returns its figures. */
export async function runClientsScenario(options: ClientsOptions): Promise<ClientsFigures> {
  const say = options.log ?? (() => undefined);
  const n = options.lookupsPerClient ?? 50;
  const farm = await openReliabilityFarm({ services: options.services, name: 'clients' });
  const config = { ...farm.config, webhooks: { ...farm.config.webhooks, allowPrivate: false } };
  const app = await createApiServer({ storage: farm.storage, queueFor: farm.queueFor, config, pingRedis: async () => 'PONG' }, { authCacheMs: 0 });
  const conns = [createRedis(options.services.redisUrl), createRedis(options.services.redisUrl)];
  let hits = 0;
  const internal = http.createServer((req, res) => {
    hits++;
    req.resume();
    res.end('internal');
  });
  const f: ClientsFigures = { ssrfTried: 0, ssrfAccepted: [], ssrfHits: 0, ssrfRefusedAtDelivery: 0, crossClientReads: 0, crossClientLeaks: 0, foreignIdempotencyHits: 0, conflicts409: 0, piiLeaks: 0, formulaCells: 0, csvFormulasLive: 0, xlsxFormulas: 0, api5xx: 0 };
  const call = async (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: payload as object | undefined });
    if (res.statusCode >= 500) f.api5xx++;
    return res;
  };
  try {
    const keys = farm.storage.apiKeys;
    const alpha = (await keys.create({ name: 'alpha', scopes: ['submit', 'read'], clientId: 'alpha' })).token;
    const beta = (await keys.create({ name: 'beta', scopes: ['submit', 'read'], clientId: 'beta' })).token;

    // (1) SSRF list, at the API's own port and the drain path.
    await app.listen({ host: '0.0.0.0', port: 0 });
    const apiPort = (app.server.address() as AddressInfo).port;
    const own = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((a) => (a.family === 'IPv6' ? `[${a.address.replace(/%.*$/, '')}]` : a.address));
    for (const host of [...RANGES, ...own]) {
      const url = `http://${host}:${apiPort}/%6fps/actions/drain`;
      const res = await call(alpha, 'POST', '/v1/webhooks', { url, secret: 's'.repeat(16) });
      f.ssrfTried++;
      if (res.statusCode !== 400) f.ssrfAccepted.push(`${url} → ${res.statusCode}`);
    }
    await new Promise<void>((r) => internal.listen(0, '0.0.0.0', r));
    const ownV4 = own.find((a) => !a.startsWith('[') && a !== '127.0.0.1') ?? '127.0.0.1';
    await farm.storage.webhooks.create({ url: `http://${ownV4}:${(internal.address() as AddressInfo).port}/%6fps/actions/drain`, secret: 's'.repeat(16), events: ['succeeded'], ownerKeyId: null, clientId: 'alpha' });

    // (2) Two clients, same keys, different inputs.
    const cases = farm.sandbox.world.cases.slice(0, 2 * n);
    const person = farm.sandbox.world.debtors[0];
    const submitAll = async (token: string, offset: number) => {
      const rows = Array.from({ length: n }, (_, i) => ({ type: 'court.case', input: { court: cases[(i + offset) % cases.length]!.host, number: cases[(i + offset) % cases.length]!.caseNumber }, clientKey: `inv-${i}` }));
      const res = await call(token, 'POST', '/v1/lookups/batch', rows);
      return res.json<{ batchId: string; lookups: Array<{ id: string; existed: boolean }> }>();
    };
    const a = await submitAll(alpha, 0);
    const b = await submitAll(beta, n);
    const aIds = new Set(a.lookups.map((l) => l.id));
    f.foreignIdempotencyHits = b.lookups.filter((l) => l.existed || aIds.has(l.id)).length;
    for (let i = 0; i < n; i++) {
      const res = await call(alpha, 'POST', '/v1/lookups', { type: 'court.case', input: { court: cases[n + i]!.host, number: cases[n + i]!.caseNumber }, clientKey: `inv-${i}` });
      if (res.statusCode === 409) f.conflicts409++;
    }
    for (const id of aIds) {
      f.crossClientReads++;
      if ((await call(beta, 'GET', `/v1/lookups/${id}`)).statusCode !== 404) f.crossClientLeaks++;
    }
    f.crossClientReads++;
    if ((await call(beta, 'GET', `/v1/lookups?batch=${a.batchId}`)).json<{ items: unknown[] }>().items.length > 0) f.crossClientLeaks++;
    f.crossClientReads++;
    const betaList = (await call(beta, 'GET', '/v1/lookups?limit=500')).json<{ items: Array<{ id: string }> }>().items;
    f.crossClientLeaks += betaList.filter((l) => aIds.has(l.id)).length;

    // Records: alpha's lookups found records with formula-like and personal values.
    const records = FORMULAS.map((v, i) => ({ _id: `fx-${i}`, court: { host: 'a--ufa.sudrf.ru', name: v }, caseNumber: `2-${i + 1}/2025`, judge: v, status: 'in_force', parties: [{ role: 'Должник', roleNorm: 'debtor', name: 'Сидоров Сидор Сидорович' }] }));
    await farm.storage.conn.collection('court_cases').insertMany(records as never[]);
    const found = [...aIds].slice(0, records.length);
    for (const [i, id] of found.entries()) await farm.storage.lookups.markFinished(id, 'succeeded', { result: { collection: 'court_cases', id: `fx-${i}` } });
    f.crossClientReads++;
    const betaRecords = (await call(beta, 'GET', '/v1/court-cases?limit=500')).json<{ items: Array<{ id: string }> }>().items;
    f.crossClientLeaks += betaRecords.filter((r) => r.id.startsWith('fx-')).length;
    f.crossClientReads++;
    if ((await call(beta, 'GET', '/v1/exports?collection=court_cases&format=jsonl')).body.includes('fx-')) f.crossClientLeaks++;
    const aliceJson = (await call(alpha, 'GET', '/v1/court-cases?limit=500')).body;
    if (aliceJson.includes('Сидоров')) f.piiLeaks++;
    if (person) {
      const sub = await call(alpha, 'POST', '/v1/lookups', { type: 'fssp.search', input: { kind: 'person', lastName: person.lastName, firstName: person.firstName, birthDate: person.birthDate, region: person.regionCode } });
      const list = (await call(alpha, 'GET', '/v1/lookups?type=fssp.search')).body;
      for (const body of [sub.body, list]) if (body.includes(person.lastName) || body.includes(person.birthDate)) f.piiLeaks++;
    }

    // (3) CSV formulas and XLSX.
    const csv = (await call(alpha, 'GET', '/v1/exports?collection=court_cases&format=csv')).body;
    const reader = new CsvRowReader();
    const rows = [...reader.feed(csv.replace(/^\uFEFF/, '')), ...reader.end()].slice(1);
    for (const row of rows) for (const cell of row.cells) {
      if (FORMULAS.some((v) => cell.endsWith(v))) f.formulaCells++;
      if (/^[=+\-@\t\r]/.test(cell)) f.csvFormulasLive++;
    }
    const xlsx = await call(alpha, 'GET', '/v1/exports?collection=court_cases&format=xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    wb.worksheets[0]!.eachRow((row) => row.eachCell((cell) => {
      if (cell.type === ExcelJS.ValueType.Formula) f.xlsxFormulas++;
    }));

    // Delivery of the webhook stored before the check: finish alpha's lookups, let the worker run.
    const worker = startWebhookWorker({ connection: conns[1]!, prefix: farm.config.queue.prefix, lookups: farm.storage.lookups, webhooks: farm.storage.webhooks, log: createLogger({ level: 'silent' }), retryWindowMs: 5000, backoffMs: 100, timeoutMs: 2000, allowPrivate: false });
    try {
      const notify = createWebhookNotifier(webhookQueue(conns[0]!, farm.config.queue.prefix));
      for (const id of found) await notify((await farm.storage.lookups.get(id))!);
      const deadline = Date.now() + 15_000;
      const settled = async () => (await farm.storage.webhooks.deliveries.countDocuments({ status: { $ne: 'pending' } })) >= found.length;
      while (Date.now() < deadline && !(await settled())) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await worker.close();
    }
    f.ssrfHits = hits;
    f.ssrfRefusedAtDelivery = await farm.storage.webhooks.deliveries.countDocuments({ status: 'undelivered', lastError: { $regex: 'an address of this machine' } });
    say(`clients: ssrf ${f.ssrfTried} tried, ${f.ssrfAccepted.length} accepted, ${f.ssrfHits} hits; cross-client ${f.crossClientReads} reads, ${f.crossClientLeaks} leaks; 409 ${f.conflicts409}/${n}; csv live formulas ${f.csvFormulasLive}/${f.formulaCells}`);
    return f;
  } finally {
    internal.close();
    await app.close();
    for (const c of conns) c.disconnect();
    await farm.close();
  }
}
