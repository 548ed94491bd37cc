/**
 * The runtime every robot job goes through, on the real evidence store (MongoDB-wire server): the
 * chain is sealed when `run` ends — succeeded, not found, or thrown — the result is shaped from
 * what `run` returns, the mode is chosen within the robot's modes, and a job picks its robot by
 * `handles`. (Each robot of the list against the sandbox: test/integration/robots-seal.e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError, LayoutDriftError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage } from '../../test/helpers/services.ts';
import { defineRobot, type RobotDefinition } from './robot-definition.ts';
import { modeOf, robotFor, runRobotJob } from './robot-runtime.ts';
import type { RobotServices } from './robot-services.ts';
import { TargetRouter } from './targets.ts';

let storage: Storage;
let services: RobotServices;
beforeAll(async () => {
  storage = await openTestStorage();
  // What runRobotJob reads before `run` fetches anything; browsers and HTTP are never touched here.
  services = { evidence: storage.evidence, robotId: 'runtime-test', modes: { 'court-sudrf': 'browser' }, router: new TargetRouter({ hosts: [] }) } as unknown as RobotServices;
});
afterAll(async () => dropStorage(storage));

const log = createLogger({ level: 'silent' });
const job = (lookupId: string, input: Record<string, unknown> = { court: 'test--spb.sudrf.ru', number: '2-1/2026' }) => ({ lookupId, input: input as never, attempt: 1, log });
const page = { url: 'http://test--spb.sudrf.ru/card', contentType: 'text/html; charset=utf-8' };

function robot(run: RobotDefinition<'court.case'>['run'], patch: Partial<RobotDefinition<'court.case'>> = {}): RobotDefinition<'court.case'> {
  return defineRobot({ job: 'court.case', target: 'court-test', input: courtCaseInputSchema, modes: ['http'], stores: ['court_cases'], parser: { name: 'test-parser', version: '2.3.4' }, run, ...patch });
}

describe('runRobotJob', () => {
  it('seals the chain of an attempt that throws, over exactly the items it recorded, and rethrows', async () => {
    const failing = robot(async (ctx) => {
      await ctx.evidence.record('case-card', 'http_response', { ...page, body: Buffer.from('<p>one</p>') });
      await ctx.evidence.record('case-card-2', 'http_response', { ...page, body: Buffer.from('<p>two</p>') });
      throw new LayoutDriftError('no card here');
    });
    await expect(runRobotJob(failing, services, job('rt-fail'))).rejects.toThrow('no card here');
    const items = await storage.evidence.listByJob('rt-fail');
    expect(items).toHaveLength(2);
    const manifest = await storage.evidence.getManifest('rt-fail');
    expect(manifest?.itemHashes).toEqual(items.map((i) => i.hash));
  });

  it('shapes a result (succeeded with its pointer, null = not_found) and seals both', async () => {
    const found = robot(async (ctx) => {
      await ctx.evidence.record('case-card', 'http_response', { ...page, body: Buffer.from('<p>card</p>') });
      return { collection: 'court_cases', id: 'X:id:1', changed: true };
    });
    expect(await runRobotJob(found, services, job('rt-ok'))).toEqual({ status: 'succeeded', result: { collection: 'court_cases', id: 'X:id:1', changed: true }, evidenceCount: 1 });
    const empty = robot(async (ctx) => {
      await ctx.evidence.record('search', 'http_response', { ...page, body: Buffer.from('<p>Данных по запросу не обнаружено</p>') });
      return null;
    });
    expect(await runRobotJob(empty, services, job('rt-none'))).toEqual({ status: 'not_found', result: null, evidenceCount: 1 });
    expect(await storage.evidence.getManifest('rt-ok')).not.toBeNull();
    expect(await storage.evidence.getManifest('rt-none')).not.toBeNull();
  });

  it('stamps source from the page: its URL, fetchedAt and evidence, the parser as <name>-<version>, the lookup', async () => {
    const fetchedAt = new Date('2026-03-02T09:15:00Z');
    let source: unknown;
    await runRobotJob(robot(async (ctx) => {
      source = ctx.sourceOf({ url: 'http://test--spb.sudrf.ru/card?id=7', evidenceId: 'ev-7', fetchedAt });
      return null;
    }), services, job('rt-source'));
    expect(source).toEqual({ url: 'http://test--spb.sudrf.ru/card?id=7', fetchedAt, evidenceId: 'ev-7', parserVersion: 'test-parser-2.3.4', lookupId: 'rt-source' });
    await expect(runRobotJob(robot(async (ctx) => (ctx.sourceOf({ url: 'x', evidenceId: 'ev-0', fetchedAt }), null), { parser: null }), services, job('rt-noparser'))).rejects.toThrow(/has no parser/);
  });
});

describe('modeOf and robotFor', () => {
  it('takes the lookup\'s mode, else the configured one, only among the robot\'s modes; else its first', () => {
    const both = { target: 'court-sudrf', modes: ['http', 'browser'] as const };
    expect(modeOf(both, services, {})).toBe('browser');
    expect(modeOf(both, services, { mode: 'http' })).toBe('http');
    expect(modeOf({ target: 'court-sudrf', modes: ['http'] as const }, services, { mode: 'browser' })).toBe('http');
    expect(modeOf({ target: 'court-msudrf', modes: ['browser'] as const }, services, {})).toBe('browser');
  });

  it('picks the first robot whose `handles` takes the input; none = bad input naming the court', () => {
    const a = robot(async () => null, { target: 'a', handles: (i) => i.court.endsWith('.sudrf.ru') });
    const b = robot(async () => null, { target: 'b', handles: (i) => i.court === 'mirsud.spb.ru' });
    expect(robotFor('court.case', [a, b], { court: 'mirsud.spb.ru' } as never).target).toBe('b');
    expect(robotFor('court.case', [a, b], { court: 'x.sudrf.ru' } as never).target).toBe('a');
    expect(() => robotFor('court.case', [a, b], { court: 'example.org' } as never)).toThrow(BadInputError);
    expect(() => robotFor('court.case', [a, b], { court: 'example.org' } as never)).toThrow(/no court.case robot for court host example.org \(robots: a, b\)/);
  });
});
