/**
 * post.tracking through the HTTP API: the payload schema registry refuses a bad check digit naming
 * the field, a good letter is queued; postal_items is paged, read by id, exported; the OpenAPI
 * document carries both. Real MongoDB-wire server and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostalItemRecord } from '../../core/postal-records.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await openApiHarness();
});
afterAll(async () => h?.close());

const delivered: PostalItemRecord = {
  barcode: 'RS253346199NL', state: 'delivered', acceptedAt: null, deliveredAt: '2015-05-29T12:10:00.000Z', returnedAt: null, returnReason: null,
  sender: null, recipient: null, mailType: 'Small packet', mailCategory: 'Registered', error: null,
  operations: [{ type: { id: 2, name: 'Delivery' }, attr: { id: 1, name: 'Delivery to the addressee' }, date: '2015-05-29T12:10:00.000Z', index: '295053', place: 'Simferopol` 53' }],
};

describe('post.tracking over the API', () => {
  it('refuses a wrong check digit with 400 naming the field; queues a good letter with its link', async () => {
    const bad = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { type: 'post.tracking', input: { barcode: 'RS253346198NL' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.join(' | ')).toMatch(/input\.barcode: wrong check digit in S10 identifier RS253346198NL: expected 9, got 8/);
    const ok = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { type: 'post.tracking', input: { barcode: '14102192069353', for: 'court-case:abc' } } });
    expect(ok.statusCode).toBe(201);
    const lookup = await h.storage.lookups.get(ok.json().lookup.id);
    expect(lookup).toMatchObject({ type: 'post.tracking', status: 'queued', input: { barcode: '14102192069353', for: { kind: 'court-case', id: 'abc' } } });
  });

  // Saved directly, not through a lookup of a client: read with an all-clients key (clients see
  // only records their own lookups found; test/api/clients.api.test.ts covers that).
  it('pages, reads and exports postal_items', async () => {
    await h.storage.postalItems.save(delivered, { url: 'https://tracking.russianpost.ru/rtm34', fetchedAt: new Date(), evidenceId: null, parserVersion: 'test' }, { links: [{ kind: 'ref', id: 'x' }], deadlinesFor: () => [], cadence: { baseSecs: 60, maxSecs: 600 } });
    const one = await h.app.inject({ method: 'GET', url: '/v1/postal-items/RS253346199NL', headers: bearer(h.tokens.all) });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ state: 'delivered', deliveredAt: '2015-05-29T12:10:00.000Z' });
    const page = await h.app.inject({ method: 'GET', url: '/v1/postal-items?state=delivered&linkKind=ref', headers: bearer(h.tokens.all) });
    expect(page.json().items.map((i: { id?: string; _id?: string }) => i.id ?? i._id)).toEqual(['RS253346199NL']);
    const csv = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=postal_items&format=csv', headers: bearer(h.tokens.all) });
    expect(csv.statusCode).toBe(200);
    const [header, row] = csv.body.trim().split(/\r?\n/);
    expect(header).toMatch(/^id,state,acceptedAt,deliveredAt,returnedAt/);
    expect(row).toMatch(/^RS253346199NL,delivered,,2015-05-29T12:10:00.000Z,/);
  });

  it('the OpenAPI document has the post.tracking input and the postal-items paths', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(JSON.stringify(doc)).toContain('post.tracking');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/postal-items', '/v1/postal-items/{id}']));
  });
});
