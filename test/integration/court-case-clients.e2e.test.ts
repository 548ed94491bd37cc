/**
 * A court.case lookup's client on the case it reached (issue 18 §2), end to end in HTTP mode on the
 * real MongoDB-wire server and Redis against the sandbox: the robot's save writes the lookup's
 * client into the case's `clientIds` in the same write as the case, and the lookup's end sends no
 * separate update; another client's lookup of the same case adds itself in that save's update.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitLookups } from '../../queues/submit.ts';
import type { LookupDoc } from '../../storage/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';
import { waitForFinal } from '../helpers/lookups.ts';

let farm: TestFarm;
const sent: string[] = [];

beforeAll(async () => {
  farm = await startTestFarm({ name: 'case-clients', monitorCommands: true });
  farm.storage.conn.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
    const target = e.command[e.commandName];
    if (target === 'court_cases') sent.push(e.commandName);
  });
}, 120_000);
afterAll(async () => farm?.close());

/** Submits one court.case lookup as `clientId` and waits for it; also the commands sent to `court_cases` meanwhile. */
async function lookupAs(clientId: string, input: Record<string, unknown>): Promise<{ lookup: LookupDoc; caseCommands: string[] }> {
  const from = sent.length;
  const res = await submitLookups(
    { lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs }, clientId },
    [{ type: 'court.case', input }],
  );
  const [lookup] = await waitForFinal(farm.storage.lookups, res.lookups.map((l) => l.id), 60_000);
  return { lookup: lookup!, caseCommands: sent.slice(from) };
}

describe('court.case: the client on the case', () => {
  it('is written by the save itself: the case carries every client whose lookup reached it, each once', async () => {
    // A card opened by its site ids on a court without a search captcha: one page, one save.
    const noCaptcha = new Set(farm.sandbox.world.courts.filter((c) => !c.hasSearchCaptcha).map((c) => c.host));
    const c = farm.sandbox.world.cases.find((k) => noCaptcha.has(k.host) && k.srvNum === 1)!;
    const input = { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid };
    const clientsOf = async (id: string) => ((await farm.storage.courtCases.model.collection.findOne({ _id: id as never })) as { clientIds?: string[] } | null)?.clientIds;

    const first = await lookupAs('client-a', input);
    expect(first.lookup.status).toBe('succeeded');
    expect(await clientsOf(first.lookup.result!.id)).toEqual(['client-a']);
    // The read the history needs and the insert carrying the client; no `$addToSet` after it.
    expect(first.caseCommands).toEqual(['find', 'insert']);

    const second = await lookupAs('client-b', input);
    expect(second.lookup.result!.id).toBe(first.lookup.result!.id);
    expect(await clientsOf(first.lookup.result!.id)).toEqual(['client-a', 'client-b']);
    expect(second.caseCommands).toEqual(['find', 'update']);

    const again = await lookupAs('client-a', input);
    expect(await clientsOf(first.lookup.result!.id)).toEqual(['client-a', 'client-b']);
    expect(again.caseCommands).toEqual(['find', 'update']);

    // What the API's client scope reads: each client reaches the case through its own lookups.
    for (const client of ['client-a', 'client-b']) {
      const page = await farm.storage.readModels.page('court_cases', {}, { limit: 10 }, await farm.storage.readModels.reachableBy(client, 'court_cases'));
      expect(page.items.map((i) => i._id)).toEqual([first.lookup.result!.id]);
    }
  });
});
