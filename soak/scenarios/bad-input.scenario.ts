/**
 * Bad input: generated bad payloads to the HTTP API (fastify inject, real MongoDB and Redis) and
 * bad flags / CSV files to `konveyer submit`; API keys required and scoped; filters that try Mongo
 * operators. Only 4xx (exit 2 for the CLI) with clear messages, no 5xx, nothing stored.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiServer } from '../../api/server.ts';
import { repoRoot } from '../../storage/embedded/index.ts';
import { badApiRequests } from '../lib/bad-payloads.ts';
import { openReliabilityFarm, type FarmServices } from '../lib/farm.ts';

/** Options of {@link runBadInputScenario}. */
export interface BadInputOptions {
  services: FarmServices;
  /** Generated bad API requests; default 1 000. */
  apiPayloads?: number;
  /** Bad CLI invocations (each a process; at most the built-in list); default all. */
  cliRuns?: number;
  log?: (line: string) => void;
}

/** Figures of a bad-input run. */
export interface BadInputFigures {
  apiPayloads: number;
  /** Answers by status class. */
  api2xx: number;
  api4xx: number;
  api5xx: number;
  /** 4xx answers without `{ error: { code, message } }`. */
  unclearAnswers: number;
  /** Kinds of bad request that got a non-4xx answer, with the status. */
  offenders: string[];
  /** Lookups / queued jobs beyond the ones seeded before the bad input. */
  storedLookups: number;
  queuedJobs: number;
  /** Filter queries with operators that returned any record (must be 0). */
  filterLeaks: number;
  /** Auth checks: requests without a key, with a wrong key, or without the scope that were let through. */
  authChecks: number;
  authLetThrough: number;
  cliRuns: number;
  /** CLI runs that exited 0, or showed a stack trace. */
  cliAccepted: number;
  cliStackTraces: number;
  /** Exit codes seen, e.g. { "2": 10, "1": 3 }. */
  cliExitCodes: Record<string, number>;
}

/** Bad `konveyer submit` invocations: [label, args, csv file content?]. */
function cliCases(dir: string): Array<[string, string[]]> {
  const csv = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  return [
    ['unknown type', ['submit', '$gt', '--court', 'x']],
    ['no identifier', ['submit', 'court.case', '--court', 'sovetsky.bkr.sudrf.ru']],
    ['bad court host', ['submit', 'court.case', '--court', '127.0.0.1', '--number', '2-1/2024']],
    ['operator as court', ['submit', 'court.case', '--court', '{"$gt":""}', '--number', '2-1/2024']],
    ['huge number', ['submit', 'court.case', '--court', 'sovetsky.bkr.sudrf.ru', '--number', 'x'.repeat(100_000)]],
    ['bad mode', ['submit', 'court.case', '--court', 'sovetsky.bkr.sudrf.ru', '--number', '2-1/2024', '--mode', 'rocket']],
    ['broken CSV quotes', ['submit', 'court.case', '--file', csv('quotes.csv', 'court,number\nsovetsky.bkr.sudrf.ru,"2-1/2024\n')]],
    ['CSV wrong header', ['submit', 'court.case', '--file', csv('header.csv', 'kourt,numbr\nsovetsky.bkr.sudrf.ru,2-1/2024\n')]],
    ['CSV one bad row', ['submit', 'court.case', '--file', csv('row.csv', 'court,number\nsovetsky.bkr.sudrf.ru,2-1/2024\nsovetsky.bkr.sudrf.ru,\n')]],
    ['CSV non-UTF-8', ['submit', 'court.case', '--file', csv('cp1251.csv', Buffer.concat([Buffer.from('court,number\n'), Buffer.from([0xeb, 0xe5, 0xed, 0xe8, 0xed]), Buffer.from(',2-1/2024\n')]))]],
    ['CSV missing file', ['submit', 'court.case', '--file', join(dir, 'nope.csv')]],
    ['unknown flag', ['submit', 'court.case', '--court', 'sovetsky.bkr.sudrf.ru', '--nmber', '2-1/2024']],
  ];
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/konveyer.mjs'), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** Runs the bad-input scenario and returns its figures. */
export async function runBadInputScenario(options: BadInputOptions): Promise<BadInputFigures> {
  const say = options.log ?? (() => undefined);
  const farm = await openReliabilityFarm({ services: options.services, name: 'badinput' });
  const config = farm.config;
  const app = await createApiServer({ storage: farm.storage, queueFor: farm.queueFor, config, pingRedis: async () => 'PONG' }, { authCacheMs: 0 });
  try {
    const keys = farm.storage.apiKeys;
    const all = (await keys.create({ name: 'rel-all', scopes: ['submit', 'read', 'audit', 'ops'] })).token;
    const readOnly = (await keys.create({ name: 'rel-read', scopes: ['read'] })).token;
    const submitOnly = (await keys.create({ name: 'rel-submit', scopes: ['submit'] })).token;
    // Seed: three good lookups, so that filter injection has something to leak.
    const seeded = await farm.submit(farm.sandbox.world.cases.slice(0, 3).map((c) => ({ type: 'court.case', input: { court: c.host, number: c.caseNumber } })));

    const figures: BadInputFigures = { apiPayloads: 0, api2xx: 0, api4xx: 0, api5xx: 0, unclearAnswers: 0, offenders: [], storedLookups: 0, queuedJobs: 0, filterLeaks: 0, authChecks: 0, authLetThrough: 0, cliRuns: 0, cliAccepted: 0, cliStackTraces: 0, cliExitCodes: {} };
    for (const bad of badApiRequests(options.apiPayloads ?? 1000)) {
      const res = await app.inject({ method: bad.method, url: bad.url, headers: { ...bad.headers, authorization: `Bearer ${all}` }, payload: bad.payload });
      figures.apiPayloads++;
      const body = res.json<{ error?: { code?: unknown; message?: unknown }; items?: unknown[] }>();
      if (res.statusCode >= 500) figures.api5xx++;
      else if (res.statusCode >= 400) {
        figures.api4xx++;
        if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string' || body.error.message.length === 0) figures.unclearAnswers++;
      } else {
        figures.api2xx++;
        // A 2xx is acceptable only for a filter query whose operator was taken as a plain value.
        if (bad.kind === 'filter' && Array.isArray(body.items) && body.items.length > 0) figures.filterLeaks++;
      }
      if ((res.statusCode < 400 && bad.kind !== 'filter') || res.statusCode >= 500) figures.offenders.push(`${bad.kind} ${bad.method} ${bad.url.slice(0, 60)} → ${res.statusCode}`);
    }
    // Operator values as plain strings: exact-value filters must match nothing.
    for (const q of ['status=%7B%22%24ne%22%3A%22x%22%7D', 'batch=%7B%22%24gt%22%3A%22%22%7D', 'type=%7B%22%24regex%22%3A%22.*%22%7D']) {
      const res = await app.inject({ method: 'GET', url: `/v1/lookups?${q}`, headers: { authorization: `Bearer ${all}` } });
      const items = res.statusCode === 200 ? (res.json<{ items?: unknown[] }>().items ?? []) : [];
      if (res.statusCode >= 500) figures.api5xx++;
      if (items.length > 0) figures.filterLeaks++;
    }
    // API keys: required, checked, scoped.
    const authCases: Array<[string, string, Record<string, string>]> = [
      ['GET', '/v1/lookups', {}],
      ['GET', '/v1/lookups', { authorization: 'Bearer kvk_not-a-real-key' }],
      ['GET', '/v1/lookups', { authorization: `Basic ${Buffer.from(`x:${all}`).toString('base64')}` }],
      ['GET', '/v1/lookups', { authorization: `Bearer ${submitOnly}` }],
      ['POST', '/v1/lookups', { authorization: `Bearer ${readOnly}` }],
      ['GET', `/v1/lookups?api_key=${all}`, {}],
      ['GET', '/v1/court-cases', { authorization: `Bearer ${submitOnly}` }],
      ['GET', '/v1/exports?collection=court_cases&format=csv', {}],
    ];
    for (const [method, url, headers] of authCases) {
      const res = await app.inject({ method: method as 'GET', url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? JSON.stringify({ type: 'court.case', input: { court: 'sovetsky.bkr.sudrf.ru', number: '2-1/2024' } }) : undefined });
      figures.authChecks++;
      if (res.statusCode !== 401 && res.statusCode !== 403) figures.authLetThrough++;
    }

    // The CLI: each bad invocation must refuse with a message and store nothing.
    const dir = join(farm.logDir, 'cli');
    mkdirSync(dir, { recursive: true });
    const cases = cliCases(dir).slice(0, options.cliRuns ?? Infinity);
    const results = await Promise.all(cases.map(([, args]) => runCli(args, { ...farm.env, LOG_LEVEL: 'silent' })));
    cases.forEach(([label], i) => {
      const r = results[i]!;
      figures.cliRuns++;
      const code = String(r.code);
      figures.cliExitCodes[code] = (figures.cliExitCodes[code] ?? 0) + 1;
      if (r.code === 0) figures.cliAccepted++;
      if (/\n\s+at .+:\d+:\d+/.test(r.stderr)) figures.cliStackTraces++;
      say(`bad-input: cli ${label}: exit ${r.code}: ${r.stderr.trim().split('\n')[0]?.slice(0, 120)}`);
    });

    figures.storedLookups = (await farm.storage.lookups.model.countDocuments({})) - seeded.length;
    const counts = await farm.queueFor('court.case').getJobCounts();
    figures.queuedJobs = Object.values(counts).reduce((n, c) => n + c, 0) - seeded.length;
    say(`bad-input: ${figures.apiPayloads} API payloads: ${figures.api4xx} 4xx, ${figures.api5xx} 5xx, ${figures.api2xx} 2xx; stored ${figures.storedLookups}`);
    return figures;
  } finally {
    await app.close();
    await farm.close();
  }
}
