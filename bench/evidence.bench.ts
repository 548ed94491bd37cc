/**
 * Evidence figures: bytes of evidence per lookup in HTTP and browser mode (PNG, JPEG at quality
 * 30/50/70, WebP at 10/20/30 — the default is WebP, EVIDENCE_WEBP_QUALITY) — raw, and as stored (Brotli where it shrinks a body, storage/evidence/compressed.backend.ts) —,
 * the stored/raw ratio on the real court pages of ../shared/fixtures/real where that folder exists, and verify speed in items per second (re-read from GridFS + re-hash + chain + manifest).
 *
 *   npx tsx bench/evidence.bench.ts [lookupsPerVariant=6] [syntheticJobs=200] [variants=all]
 *
 * `variants`: a comma-separated list of the variant names below (e.g. `browser-webp-q10,browser-webp-q10-by-id`).
 * The default variant (WebP q10) is also run as card-by-id lookups (`caseId` + `caseUid`: no search
 * step), and both are broken down by step and kind (mean raw and stored bytes per lookup).
 *
 * One process: embedded services, the sandbox and a robot pool in-process, a fresh database.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import type { JobName } from '../queues/names.ts';
import { createRedis } from '../queues/redis.ts';
import { submitLookups } from '../queues/submit.ts';
import { startRobotPool } from '../robots/pool.ts';
import { startSandbox } from '../sandbox/server.ts';
import { encodeBody } from '../storage/evidence/compressed.backend.ts';
import { verifyEvidence } from '../storage/evidence/verify.ts';
import { repoRoot } from '../storage/embedded/index.ts';
import { openStorage, resolveEvidenceKeyring } from '../storage/index.ts';
import { startBenchServices } from './support/farm.ts';
import { singleFigure, type Figure } from './support/report.ts';

const perVariant = Number(process.argv[2] ?? 6);
const syntheticJobs = Number(process.argv[3] ?? 200);
const only = process.argv[4] && process.argv[4] !== 'all' ? new Set(process.argv[4].split(',')) : null;
const services = await startBenchServices();
const db = `bench_evidence_${randomUUID().slice(0, 6)}`;
// Signed like the farm's (EVIDENCE_SIGNING_KEY or the run folder's key), so verify checks the signatures too.
const storage = await openStorage({ uri: services.mongoUri, db, evidenceKeyring: resolveEvidenceKeyring(loadConfig()) });
const sandbox = await startSandbox({ port: 0, seed: 5 });
const redis = createRedis(services.redisUrl);
const log = createLogger({ level: 'silent' });
const rows: string[][] = [];
const figures: Record<string, number> = {};

const courts = new Map(sandbox.world.courts.map((c) => [c.host, c]));
const cases = sandbox.world.cases.filter((c) => !courts.get(c.host)!.hasSearchCaptcha);
let next = 0;

/** Mean bytes per lookup by (step, kind, content type) of the broken-down variants: raw and as stored. */
const breakdowns: { name: string; rows: string[][] }[] = [];

async function variant(name: string, mode: 'http' | 'browser', format: 'png' | 'jpeg' | 'webp', quality: number, byId = false): Promise<void> {
  if (only && !only.has(name)) return;
  const prefix = `${db}-${name}`;
  const config = loadConfig({
    REDIS_URL: services.redisUrl, MONGODB_URI: services.mongoUri, MONGODB_DB: db, QUEUE_PREFIX: prefix, SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '100', POLITENESS_CONCURRENCY: '8', ROBOT_CONCURRENCY: '4', ROBOT_BROWSER_PAGES: '2', LOG_LEVEL: 'silent',
    EVIDENCE_SCREENSHOT_FORMAT: format, EVIDENCE_JPEG_QUALITY: String(quality), EVIDENCE_WEBP_QUALITY: String(quality),
    // Local OCR alone (guessing, never a person): these figures are of the robots, as before the chain escalated (bench/captcha-chain.bench.ts has the chain's).
    CAPTCHA_CHAIN: 'local',
  });
  const pool = await startRobotPool({ config, storage, log, robotId: `bench-${name}` });
  const queues = new Map<JobName, Queue>();
  const queueFor = (n: JobName) => queues.get(n) ?? queues.set(n, new Queue(n, { connection: redis, prefix })).get(n)!;
  const picked = Array.from({ length: perVariant }, () => cases[next++ % cases.length]!);
  const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 3, backoffMs: 100 } },
    picked.map((c) => ({ type: 'court.case', input: byId
      ? { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid, mode }
      : { court: c.host, number: c.caseNumber, mode } })));
  const ids = res.lookups.map((l) => l.id);
  for (;;) {
    const docs = await storage.lookups.model.find({ _id: { $in: ids }, status: { $in: ['succeeded', 'not_found', 'failed', 'needs_human'] } }).countDocuments();
    if (docs === ids.length) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  await pool.close();
  for (const q of queues.values()) await q.close();
  const items = await storage.evidence.items.find({ jobId: { $in: ids } }).lean();
  const total = items.reduce((n, i) => n + i.size, 0);
  const shots = items.filter((i) => i.kind === 'screenshot');
  const shotBytes = shots.reduce((n, i) => n + i.size, 0);
  const perLookup = total / ids.length;
  // As stored: the GridFS file length of each distinct body (compressed where Brotli shrinks it).
  const shas = [...new Set(items.map((i) => i.sha256))];
  const files = await storage.conn.db!.collection('evidence.files').find({ _id: { $in: shas as never[] } }, { projection: { length: 1 } }).toArray();
  const storedPerLookup = files.reduce((n, f) => n + Number(f.length), 0) / ids.length;
  // Stored bytes by item kind (a body shared by two kinds counts for the first that names it).
  const storedOf = new Map(files.map((f) => [String(f._id), Number(f.length)]));
  const byKind = new Map<string, number>();
  for (const i of items) {
    const n = storedOf.get(i.sha256);
    if (n === undefined) continue;
    storedOf.delete(i.sha256);
    byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + n);
  }
  if (name.startsWith('browser-webp-q10')) {
    // Steps named without their server suffix, so lookups on different servers add up.
    const lengthOf = new Map(files.map((f) => [String(f._id), Number(f.length)]));
    const groups = new Map<string, { n: number; raw: number; stored: number }>();
    for (const i of items) {
      const key = [i.step.replace(/-srv\d+/g, ''), i.kind, i.contentType.split(';')[0]].join('\t');
      const g = groups.get(key) ?? groups.set(key, { n: 0, raw: 0, stored: 0 }).get(key)!;
      g.n += 1;
      g.raw += i.size;
      g.stored += lengthOf.get(i.sha256) ?? 0;
    }
    breakdowns.push({ name, rows: [...groups].map(([key, g]) => [key, (g.n / ids.length).toFixed(2), (g.raw / ids.length / 1024).toFixed(1), (g.stored / ids.length / 1024).toFixed(1)]) });
  }
  const kib = (kind: string) => ((byKind.get(kind) ?? 0) / ids.length / 1024).toFixed(1);
  figures[`bytes_per_lookup_${name}`] = Math.round(perLookup);
  figures[`stored_bytes_per_lookup_${name}`] = Math.round(storedPerLookup);
  for (const [kind, n] of byKind) figures[`stored_${kind}_bytes_per_lookup_${name}`] = Math.round(n / ids.length);
  rows.push([name, String(ids.length), (items.length / ids.length).toFixed(1), (perLookup / 1024).toFixed(1), (storedPerLookup / 1024).toFixed(1),
    shots.length ? (shotBytes / shots.length / 1024).toFixed(1) : '-', kib('screenshot'), kib('html'), kib('http_response')]);
}

// 0 lookups per variant = only the verify figures.
if (perVariant > 0) {
  await variant('http', 'http', 'png', 70);
  await variant('browser-png', 'browser', 'png', 70);
  for (const q of [30, 50, 70]) await variant(`browser-jpeg-q${q}`, 'browser', 'jpeg', q);
  for (const q of [10, 20, 30]) await variant(`browser-webp-q${q}`, 'browser', 'webp', q);
  await variant('browser-webp-q10-by-id', 'browser', 'webp', 10, true);
}

console.log('\nevidence bytes per lookup (court.case on the sandbox, no captcha courts)');
console.log(['variant', 'lookups', 'items/lookup', 'KiB/lookup raw', 'KiB/lookup stored', 'KiB/screenshot', 'stored KiB/lookup: screenshot', 'html', 'http_response'].join('\t'));
for (const r of rows) console.log(r.join('\t'));
for (const b of breakdowns) {
  console.log(`\n${b.name}: per lookup, by step (items, raw KiB, stored KiB; a body stored once counts for every item naming it)`);
  console.log(['step', 'kind', 'content type', 'items', 'raw KiB', 'stored KiB'].join('\t'));
  for (const r of b.rows) console.log(r.join('\t'));
}

// The same encoding on real court pages (other people's published pages, read where they are).
const realDir = join(repoRoot, '..', 'shared', 'fixtures', 'real');
if (existsSync(realDir)) {
  const pages = readdirSync(realDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.html?$/.test(f)).map((f) => readFileSync(join(realDir, f)));
  const raw = pages.reduce((n, p) => n + p.length, 0);
  const started = performance.now();
  let stored = 0;
  for (const p of pages) stored += (await encodeBody(p)).length;
  figures.real_pages_stored_ratio = Number((stored / raw).toFixed(3));
  console.log(`real court pages (${pages.length}, ${(raw / 1024).toFixed(0)} KiB): stored ${(stored / 1024).toFixed(0)} KiB = ${figures.real_pages_stored_ratio} of raw, ${((performance.now() - started) / pages.length).toFixed(2)} ms a page`);
}

// Verify speed on the farm's real chains, then on a larger synthetic set of small HTML items.
const real = await verifyEvidence(storage.evidence, {});
console.log(`verify (GridFS): farm chains ${real.items} items in ${real.ms.toFixed(0)} ms`);
const fillStarted = performance.now();
const fillJob = async () => {
  const jobId = randomUUID();
  for (let s = 0; s < 5; s++) {
    await storage.evidence.append({ jobId, lookupId: jobId, robot: 'bench', step: `s${s}`, kind: 'http_response', url: 'http://x--spb.sudrf.ru/', contentType: 'text/html', at: new Date() },
      Buffer.from(`<html>${jobId} ${s} ${'ж'.repeat(8000)}</html>`));
  }
  await storage.evidence.seal(jobId);
};
// Ten jobs at a time, like a robot pool: appends within a job stay in order.
for (let j = 0; j < syntheticJobs; j += 10) await Promise.all(Array.from({ length: Math.min(10, syntheticJobs - j) }, fillJob));
figures.append_items_per_sec = Math.round((syntheticJobs * 5) / ((performance.now() - fillStarted) / 1000));
console.log(`append (GridFS, 10 jobs at a time): ${figures.append_items_per_sec} items/s`);
const synthetic = await verifyEvidence(storage.evidence, {});
figures.verify_items_per_sec_farm = Math.round(real.items / (real.ms / 1000));
figures.verify_items_per_sec_all = Math.round(synthetic.items / (synthetic.ms / 1000));
figures.verify_mib_per_sec_all = Number((synthetic.bytes / 1048576 / (synthetic.ms / 1000)).toFixed(1));
console.log(`\nverify (GridFS): farm chains ${real.items} items ${(real.bytes / 1048576).toFixed(1)} MiB in ${real.ms.toFixed(0)} ms = ${figures.verify_items_per_sec_farm} items/s (ok=${real.ok})`);
console.log(`verify (GridFS): + synthetic ${synthetic.items} items ${(synthetic.bytes / 1048576).toFixed(1)} MiB in ${synthetic.ms.toFixed(0)} ms = ${figures.verify_items_per_sec_all} items/s, ${figures.verify_mib_per_sec_all} MiB/s (ok=${synthetic.ok})`);
/** What verify found, by code (a bench run on a healthy farm should find nothing). */
const findingCodes = (r: typeof real): string =>
  Object.entries(r.findings.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.kind]: (acc[f.kind] ?? 0) + 1 }), {})).map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
console.log(`verify findings: farm chains ${findingCodes(real)}; with synthetic ${findingCodes(synthetic)}`);

// The summary's rows (bench/run.ts): the per-lookup bytes of each variant, the goal on the default (WebP q10).
const report: Figure[] = [];
for (const r of rows) {
  const name = r[0]!;
  const stored = figures[`stored_bytes_per_lookup_${name}`]! / 1024;
  const isDefault = name === 'browser-webp-q10';
  report.push(singleFigure(`evidence stored per lookup, ${name}`, 'KiB', stored, isDefault ? { goal: '≤ 60', met: stored <= 60 } : undefined));
}
if (figures.real_pages_stored_ratio !== undefined) report.push(singleFigure('evidence stored/raw, real court pages', 'ratio', figures.real_pages_stored_ratio));
report.push(singleFigure('evidence verify, farm chains', 'items/s', figures.verify_items_per_sec_farm!), singleFigure('evidence verify, with synthetic', 'items/s', figures.verify_items_per_sec_all!));
report.push(singleFigure('evidence append (GridFS, 10 jobs at a time)', 'items/s', figures.append_items_per_sec!));
console.log(JSON.stringify({ bench: 'evidence', figures: report, notes: [`verify findings: ${findingCodes(synthetic)}`], rounds: [figures] }));

await storage.conn.dropDatabase().catch(() => undefined);
await storage.close();
redis.disconnect();
await sandbox.close();
await services.stop();
