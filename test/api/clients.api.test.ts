/**
 * Issue 13 item 3: clients. Idempotency keys, lookups, batches, records reached through a client's
 * lookups, exports and webhooks are scoped to the API key's client; `all-clients` sees everything;
 * personal data needs `pii`. Older keys, lookups and webhooks migrate to the default client.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { createWebhookNotifier, webhookQueue } from '../../queues/webhook.queue.ts';
import { startWebhookWorker } from '../../queues/webhook.worker.ts';
import { hashApiToken } from '../../storage/api-keys.repo.ts';
import { migrateToClients } from '../../storage/clients.migration.ts';
import type { ApiScope } from '../../storage/api-keys.types.ts';
import { serviceUrls } from '../helpers/services.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
const conns = [createRedis(serviceUrls().redisUrl), createRedis(serviceUrls().redisUrl)];
const servers: Server[] = [];
const key = async (clientId: string, scopes: ApiScope[]) => (await h.storage.apiKeys.create({ name: `${clientId}-${scopes.join('+')}`, scopes, clientId })).token;
let alpha: string, alphaPii: string, beta: string, auditor: string, auditorPii: string;

beforeAll(async () => {
  h = await openApiHarness();
  alpha = await key('alpha', ['submit', 'read']);
  alphaPii = await key('alpha', ['submit', 'read', 'pii']);
  beta = await key('beta', ['submit', 'read']);
  auditor = await key('ops', ['read', 'all-clients']);
  auditorPii = await key('ops', ['read', 'all-clients', 'pii']);
});
afterAll(async () => {
  for (const s of servers) s.close();
  for (const c of conns) c.disconnect();
  await h?.close();
});

const court = 'oktyabrsky--ufa.sudrf.ru';
const post = (token: string, payload: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/v1/lookups', headers: { ...bearer(token), ...headers }, payload: payload as object });
const get = (token: string, url: string) => h.app.inject({ method: 'GET', url, headers: bearer(token) });
const count = () => h.storage.conn.collection('lookups').countDocuments({});
const person = { kind: 'person', lastName: 'Иванов', firstName: 'Иван', patronymic: 'Иванович', birthDate: '1980-05-17', region: '77' };

describe('migration to clients', () => {
  it('moves older keys, lookups and webhooks to the default client, drops the global key index, is idempotent', async () => {
    const lookups = h.storage.conn.collection('lookups');
    const legacyToken = 'kvk_legacy-token-of-a-key-made-before-clients-existed';
    await h.storage.conn.collection('api_keys').insertOne({ _id: 'legacy1', name: 'legacy', hash: hashApiToken(legacyToken), scopes: ['submit', 'read'], createdAt: new Date(), revokedAt: null } as never);
    await h.storage.conn.collection('webhooks').insertOne({ _id: 'legacy-hook', url: 'http://127.0.0.1:9/x', secret: 's'.repeat(16), events: ['succeeded'], ownerKeyId: 'legacy1', createdAt: new Date(), deletedAt: null } as never);
    const input = { court, number: '2-500/2025' };
    await lookups.insertOne({ _id: 'legacy-lookup', type: 'court.case', status: 'queued', input, clientKey: 'court.case:old-1', batchId: null, attempts: 0, error: null, result: null, evidenceCount: 0, robot: null, startedAt: null, finishedAt: null, createdAt: new Date(), updatedAt: new Date() } as never);
    // The index of the first version: one global key space.
    await lookups.createIndex({ clientKey: 1 }, { unique: true, sparse: true, name: 'clientKey_1' });
    // As on a database that last ran before clients existed (opening the storage marked this one done).
    await h.storage.conn.collection('migrations').deleteOne({ _id: 'lookup-client-ids' } as never);

    expect(await migrateToClients(h.storage.conn)).toEqual({ apiKeys: 1, webhooks: 1, lookups: 1, idempotencyKeys: 1, droppedGlobalKeyIndex: true, recordClients: 0 });
    expect(await migrateToClients(h.storage.conn)).toEqual({ apiKeys: 0, webhooks: 0, lookups: 0, idempotencyKeys: 0, droppedGlobalKeyIndex: false, recordClients: 0 });
    // Done once: a lookup without a client written later (no such writer exists now) is not looked for again on every start.
    await lookups.insertOne({ _id: 'late-legacy', type: 'court.case', status: 'queued', input, batchId: null, attempts: 0, createdAt: new Date(), updatedAt: new Date() } as never);
    expect((await migrateToClients(h.storage.conn)).lookups).toBe(0);
    await lookups.deleteOne({ _id: 'late-legacy' } as never);

    const same = await post(legacyToken, { type: 'court.case', input, clientKey: 'old-1' });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ existed: true, lookup: { id: 'legacy-lookup', clientId: 'default' } });
    expect((await get(legacyToken, '/v1/lookups/legacy-lookup')).statusCode).toBe(200);
    expect((await get(alpha, '/v1/lookups/legacy-lookup')).statusCode).toBe(404);
    // Another client may now use the same key.
    expect((await post(alpha, { type: 'court.case', input, clientKey: 'old-1' })).statusCode).toBe(201);
    expect((await h.storage.webhooks.get('legacy-hook'))?.clientId).toBe('default');
  });
});

describe('records stored before clientIds', () => {
  it('get the clients whose lookups reached them, once: then only those clients read them', async () => {
    const db = h.storage.conn;
    await db.collection('court_cases').insertOne({ _id: 'cc-before-clientids', caseNumber: '2-777/2024', court: { host: court }, status: 'open' } as never);
    await db.collection('lookups').insertOne({ _id: 'lookup-before-clientids', type: 'court.case', clientId: 'alpha', status: 'succeeded', input: { court, number: '2-777/2024' }, result: { collection: 'court_cases', id: 'cc-before-clientids' }, createdAt: new Date(), updatedAt: new Date() } as never);
    expect((await get(alpha, '/v1/court-cases/cc-before-clientids')).statusCode).toBe(404);
    // As on a database that last ran before the backfill existed.
    await db.collection('migrations').deleteOne({ _id: 'record-client-ids' } as never);
    expect((await migrateToClients(db)).recordClients).toBeGreaterThanOrEqual(1);
    expect((await migrateToClients(db)).recordClients).toBe(0);
    expect((await get(alpha, '/v1/court-cases/cc-before-clientids')).statusCode).toBe(200);
    expect((await get(beta, '/v1/court-cases/cc-before-clientids')).statusCode).toBe(404);
    const page = await get(alpha, '/v1/court-cases?limit=100');
    expect(page.json().items.map((r: { id: string }) => r.id)).toContain('cc-before-clientids');
    // Who reached a record is bookkeeping that names other clients: never in an answer.
    expect(JSON.stringify((await get(auditorPii, '/v1/court-cases/cc-before-clientids')).json())).not.toContain('clientIds');
  });
});

describe('idempotency keys per client', () => {
  it('same key + same payload → the first lookup; another client\'s same key → its own lookup; different payload → 409 naming the first', async () => {
    const first = await post(alpha, { type: 'court.case', input: { court, number: '2-100/2025' } }, { 'idempotency-key': 'inv-42' });
    expect(first.statusCode).toBe(201);
    const firstId = first.json().lookup.id;

    const again = await post(alpha, { type: 'court.case', input: { court, number: '2-100/2025' } }, { 'idempotency-key': 'inv-42' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ existed: true, lookup: { id: firstId, clientKey: 'inv-42' } });

    // The issue's case: a second client, same key, different input — not the first client's lookup.
    const other = await post(beta, { type: 'court.case', input: { court, number: '2-999/2025' } }, { 'idempotency-key': 'inv-42' });
    expect(other.statusCode).toBe(201);
    expect(other.json().existed).toBe(false);
    expect(other.json().lookup.id).not.toBe(firstId);
    expect(other.json().lookup.input.number).toBe('2-999/2025');

    const before = await count();
    const conflict = await post(alpha, { type: 'court.case', input: { court, number: '2-101/2025' } }, { 'idempotency-key': 'inv-42' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('idempotency_conflict');
    expect(conflict.json().error.message).toContain(`client key "inv-42" was already used for lookup ${firstId} with a different payload`);
    expect(await count()).toBe(before);
    expect((await h.storage.lookups.get(firstId))?.input.number).toBe('2-100/2025');
    // Another lookup type is another payload too.
    const otherType = await post(alpha, { type: 'fssp.search', input: { kind: 'ip', ipNumber: '102021/20/02003-ИП' } }, { 'idempotency-key': 'inv-42' });
    expect(otherType.statusCode).toBe(409);
    expect(otherType.json().error.message).toContain(`lookup ${firstId}`);
    expect(await count()).toBe(before);
  });

  it('a batch reusing a key with another payload is refused whole (409), nothing stored or queued', async () => {
    await post(alpha, { type: 'court.case', input: { court, number: '2-200/2025' }, clientKey: 'b-1' });
    const before = await count();
    const jobsBefore = await h.queueFor('court.case').getJobCounts('wait', 'delayed');
    const res = await h.app.inject({
      method: 'POST', url: '/v1/lookups/batch', headers: bearer(alpha),
      payload: [
        { type: 'court.case', input: { court, number: '2-201/2025' }, clientKey: 'b-new' },
        { type: 'court.case', input: { court, number: '2-202/2025' }, clientKey: 'b-1' },
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/client key "b-1" was already used for lookup /);
    expect(res.json().error.issues).toEqual([expect.stringMatching(/^row 2: clientKey b-1: first used for lookup /)]);
    expect(await count()).toBe(before);
    expect(await h.queueFor('court.case').getJobCounts('wait', 'delayed')).toEqual(jobsBefore);
    // One key twice in one batch with two payloads.
    const twice = await h.app.inject({
      method: 'POST', url: '/v1/lookups/batch', headers: bearer(alpha),
      payload: [
        { type: 'court.case', input: { court, number: '2-203/2025' }, clientKey: 'b-dup' },
        { type: 'court.case', input: { court, number: '2-204/2025' }, clientKey: 'b-dup' },
      ],
    });
    expect(twice.statusCode).toBe(409);
    expect(await count()).toBe(before);
  });
});

describe('reads are scoped to the client', () => {
  it('another client\'s lookup is 404, its batch lists nothing, lists hold only one\'s own; all-clients sees both', async () => {
    const a = await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: bearer(alpha), payload: [{ type: 'court.case', input: { court, number: '2-300/2025' } }] });
    const b = await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: bearer(beta), payload: [{ type: 'court.case', input: { court, number: '2-301/2025' } }] });
    const aId = a.json().lookups[0].id;
    const bId = b.json().lookups[0].id;
    expect((await get(beta, `/v1/lookups/${aId}`)).statusCode).toBe(404);
    expect((await get(alpha, `/v1/lookups/${aId}`)).statusCode).toBe(200);
    expect((await get(beta, `/v1/lookups?batch=${a.json().batchId}`)).json().items).toEqual([]);
    const betaAll = (await get(beta, '/v1/lookups?limit=500')).json().items as Array<{ id: string; clientId: string }>;
    expect(betaAll.map((l) => l.id)).toContain(bId);
    expect(betaAll.every((l) => l.clientId === 'beta')).toBe(true);
    const everyone = (await get(auditor, '/v1/lookups?limit=500')).json().items.map((l: { id: string }) => l.id);
    expect(everyone).toEqual(expect.arrayContaining([aId, bId]));
    expect((await get(auditor, `/v1/lookups/${aId}`)).statusCode).toBe(200);
  });

  it('records are visible only through one\'s own lookups (list, by id, export); all-clients sees every record', async () => {
    await h.storage.conn.collection('enforcement_proceedings').insertMany([
      { _id: '1/25/77001-ИП', ipNumber: '1/25/77001-ИП', region: '77', debtor: { name: 'Иванов Иван Иванович', birthDate: '1980-05-17', birthPlace: 'г. Москва' }, debtRest: 1500 },
      { _id: '2/25/77001-ИП', ipNumber: '2/25/77001-ИП', region: '77', debtor: { name: 'Петров Пётр Петрович', birthDate: '1975-01-02', birthPlace: 'г. Тверь' }, debtRest: 10 },
    ] as never[]);
    const mine = await post(alpha, { type: 'fssp.search', input: person });
    const theirs = await post(beta, { type: 'fssp.search', input: { kind: 'ip', ipNumber: '2/25/77001-ИП' } });
    await h.storage.lookups.markFinished(mine.json().lookup.id, 'succeeded', { result: { collection: 'enforcement_proceedings', id: '1/25/77001-ИП', ids: ['1/25/77001-ИП'], count: 1 } });
    await h.storage.lookups.markFinished(theirs.json().lookup.id, 'succeeded', { result: { collection: 'enforcement_proceedings', id: '2/25/77001-ИП', ids: ['2/25/77001-ИП'], count: 1 } });

    const ids = async (token: string) => (await get(token, '/v1/enforcement-proceedings?region=77')).json().items.map((r: { id: string }) => r.id).sort();
    expect(await ids(alpha)).toEqual(['1/25/77001-ИП']);
    expect(await ids(beta)).toEqual(['2/25/77001-ИП']);
    expect(await ids(auditor)).toEqual(['1/25/77001-ИП', '2/25/77001-ИП']);
    expect((await get(beta, `/v1/enforcement-proceedings/${encodeURIComponent('1/25/77001-ИП')}`)).statusCode).toBe(404);
    expect((await get(alpha, `/v1/enforcement-proceedings/${encodeURIComponent('1/25/77001-ИП')}`)).statusCode).toBe(200);
    const exported = (await get(beta, '/v1/exports?collection=enforcement_proceedings&format=jsonl')).body.trim().split('\n').map((l) => JSON.parse(l).id);
    expect(exported).toEqual(['2/25/77001-ИП']);
    const lookupsCsv = (await get(beta, '/v1/exports?collection=lookups&format=csv')).body;
    expect(lookupsCsv).not.toContain(mine.json().lookup.id);
  });
});

describe('personal data needs the pii scope', () => {
  it('masks ФИО and birth date of FSSP inputs and the debtor of records without pii; shows them with it', async () => {
    const sub = await post(alpha, { type: 'fssp.search', input: { ...person, lastName: 'Сидоров' } });
    expect(sub.statusCode).toBe(201);
    expect(sub.json().lookup.input).toEqual({ kind: 'person', lastName: '***', firstName: '***', patronymic: '***', birthDate: '***', region: '77' });
    const id = sub.json().lookup.id;
    expect((await get(alpha, `/v1/lookups/${id}`)).json().lookup.input.birthDate).toBe('***');
    expect((await get(auditor, `/v1/lookups/${id}`)).json().lookup.input.lastName).toBe('***');
    expect((await get(alphaPii, `/v1/lookups/${id}`)).json().lookup.input).toMatchObject({ lastName: 'Сидоров', birthDate: '1980-05-17' });
    expect(JSON.stringify((await get(alpha, '/v1/lookups?type=fssp.search')).json())).not.toContain('1980-05-17');

    const rec = (await get(alpha, `/v1/enforcement-proceedings/${encodeURIComponent('1/25/77001-ИП')}`)).json();
    expect(rec.debtor).toEqual({ name: '***', birthDate: '***', birthPlace: '***' });
    expect(rec.debtRest).toBe(1500);
    expect((await get(alphaPii, `/v1/enforcement-proceedings/${encodeURIComponent('1/25/77001-ИП')}`)).json().debtor.name).toBe('Иванов Иван Иванович');
    for (const format of ['csv', 'jsonl']) {
      const body = (await get(auditor, `/v1/exports?collection=enforcement_proceedings&format=${format}`)).body;
      expect(body, format).not.toContain('Иванов');
      expect(body, format).not.toContain('1975-01-02');
      expect((await get(auditorPii, `/v1/exports?collection=enforcement_proceedings&format=${format}`)).body, format).toContain('Петров Пётр Петрович');
    }
    const lookupsJsonl = (await get(alpha, '/v1/exports?collection=lookups&format=jsonl')).body;
    expect(lookupsJsonl).not.toContain('Сидоров');
  });
});

describe('webhooks receive only their client\'s lookups', () => {
  it('a finished lookup of another client is not delivered; one\'s own is', async () => {
    const got: string[] = [];
    const payloads: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const payload = JSON.parse(body).lookup;
        got.push(payload.id);
        payloads.push(payload);
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const reg = await h.app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(alpha), payload: { url, secret: 's'.repeat(16), events: ['succeeded'] } });
    expect(reg.statusCode).toBe(201);
    expect(reg.json().webhook.clientId).toBe('alpha');
    expect((await h.app.inject({ method: 'GET', url: '/v1/webhooks', headers: bearer(beta) })).json().items).toEqual([]);

    const worker = startWebhookWorker({
      connection: conns[1]!, prefix: h.config.queue.prefix, lookups: h.storage.lookups, webhooks: h.storage.webhooks,
      log: createLogger({ level: 'silent' }), retryWindowMs: 10_000, backoffMs: 50, timeoutMs: 2000, allowPrivate: true,
    });
    try {
      const notify = createWebhookNotifier(webhookQueue(conns[0]!, h.config.queue.prefix));
      const theirs = (await post(beta, { type: 'court.case', input: { court, number: '2-400/2025' } })).json().lookup.id;
      const mine = (await post(alpha, { type: 'court.case', input: { court, number: '2-401/2025' }, clientKey: 'hook-key' })).json().lookup.id;
      for (const id of [theirs, mine]) {
        await h.storage.lookups.markFinished(id, 'succeeded', { result: { collection: 'court_cases', id: 'x' } });
        await notify((await h.storage.lookups.get(id))!);
      }
      const deadline = Date.now() + 20_000;
      while (!got.includes(mine) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
      expect(got).toEqual([mine]);
      expect(payloads[0]).toMatchObject({ clientId: 'alpha', clientKey: 'hook-key' });
    } finally {
      await worker.close();
    }
  });
});
