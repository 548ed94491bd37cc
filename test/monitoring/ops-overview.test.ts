/**
 * The ops overview puts MongoDB's lookup counts beside BullMQ's and flags lookups queued in MongoDB
 * without a job (the incident of issue #19: 0 waiting on the page, 256 lookups queued in MongoDB).
 * Real Redis and MongoDB-wire behind the API server; the state is made the way it happens: a job
 * lost from Redis after its lookup was stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openApiHarness, type ApiHarness } from '../api/api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await openApiHarness();
});
afterAll(async () => h?.close());

const court = 'oktyabrsky--ufa.sudrf.ru';
const submit = async (number: string) => {
  const res = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.all), payload: { type: 'court.case', input: { court, number } } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { lookup: { id: string } }).lookup.id;
};
const loseJob = async (id: string, minutesAgo: number) => {
  await (await h.queueFor('court.case').getJob(id))!.remove();
  if (minutesAgo) await h.storage.lookups.model.updateOne({ _id: id }, { $set: { updatedAt: new Date(Date.now() - minutesAgo * 60_000) } }, { timestamps: false });
};
/** The overview's cells of one queue's row, as text (tags stripped). */
const overviewRow = async (queue: string) => {
  const res = await h.app.inject({ url: '/ops', headers: bearer(h.tokens.all) });
  expect(res.statusCode).toBe(200);
  const row = new RegExp(`<tr><td>${queue.replace('.', '\\.')}</td>([\\s\\S]*?)</tr>`).exec(res.body);
  expect(row, `no row for ${queue}`).not.toBeNull();
  const cells = [...row![1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
  const [waiting, active, delayed, failed, completed, queued, running, succeeded, notFound, mongoFailed, needsHuman, withoutJob] = cells;
  return { html: res.body, bull: { waiting, active, delayed, failed, completed }, mongo: { queued, running, succeeded, notFound, failed: mongoFailed, needsHuman }, withoutJob };
};

describe('ops overview: MongoDB beside the queues', () => {
  it('shows MongoDB counts by status and no flag while every queued lookup has its job', async () => {
    await submit('2-201/2025');
    const r = await overviewRow('court.case');
    expect(r.bull.waiting).toBe('1');
    expect(r.mongo).toEqual({ queued: '1', running: '0', succeeded: '0', notFound: '0', failed: '0', needsHuman: '0' });
    expect(r.withoutJob).toBe('0');
    expect(r.html).not.toContain('without a job: the robots will never see them');
  });

  it('flags lookups queued in MongoDB whose job is gone, but not one stored a moment ago', async () => {
    const lost = await submit('2-202/2025');
    const lostToo = await submit('2-203/2025');
    const justNow = await submit('2-204/2025');
    await loseJob(lost, 10);
    await loseJob(lostToo, 3);
    await loseJob(justNow, 0); // within the grace a submit needs between store and enqueue
    const r = await overviewRow('court.case');
    expect(r.bull.waiting).toBe('1');
    expect(r.mongo.queued).toBe('4');
    expect(r.withoutJob).toBe('2 ⚠');
    expect(r.html).toContain('2 lookup(s) queued in MongoDB without a job');
    expect((await overviewRow('fssp.search')).withoutJob).toBe('0');

    // Re-queued by ops (their own job ids): the flag goes.
    for (const id of [lost, lostToo, justNow]) {
      const res = await h.app.inject({ method: 'POST', url: '/ops/actions/retry', headers: bearer(h.tokens.all), payload: { id } });
      expect(res.statusCode, res.body).toBeLessThan(400);
    }
    const after = await overviewRow('court.case');
    expect(after.bull.waiting).toBe('4');
    expect(after.withoutJob).toBe('0');
    expect(after.html).not.toContain('without a job: the robots will never see them');
  });
});
