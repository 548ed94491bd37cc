import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { withOverrides } from '../config/index.ts';
import { submitLookups } from '../queues/submit.ts';
import { startRobotPool } from '../robots/pool.ts';
import { startOcrWorker } from '../ocr/ocr-worker.ts';
import { startSandbox } from '../sandbox/server.ts';
import { loadConfigOrExit } from './config-file.ts';
import { buildDemoBatch, buildEpguDemoBatch, buildFsspDemoBatch } from './demo-batch.ts';
import { randomBytes } from 'node:crypto';
import { sandboxEpguAccountsEnv } from '../sandbox/epgu/epgu-accounts.ts';
import { SANDBOX_RUCAPTCHA_KEY } from '../sandbox/rucaptcha/rucaptcha.site.ts';
import { CaptchaChain } from '../robots/runtime/captcha/index.ts';
import { runEpguInboxPhase } from './demo-epgu.ts';
import { buildPostDemoBatch, SANDBOX_POST_ACCOUNT } from './demo-post.ts';
import { openFarm } from '../runtime/farm.ts';
import { pictureQueue, picturesPending } from '../queues/picture.queue.ts';
import { waitForShutdown } from '../runtime/shutdown.ts';

export interface DemoOptions {
  size: number;
  /** Percent of lookups run in browser mode. */
  browserShare: number;
  seed: number;
  exitAfterBatch?: boolean;
}

/** Runs the demo: sandbox, embedded services, an in-process robot pool, one batch, a summary. */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const base = loadConfigOrExit();
  const sandbox = await startSandbox({ port: 0, seed: opts.seed });
  const config = withOverrides(base, {
    targets: { sandboxOrigin: sandbox.url },
    // EPGU: the sandbox's accounts and a throw-away sealing key unless the operator configured their own.
    epgu: { accounts: base.epgu.accounts.length ? base.epgu.accounts : JSON.parse(sandboxEpguAccountsEnv()), encryptionKey: base.epgu.encryptionKey ?? randomBytes(32).toString('hex') },
    // Russian Post tracking: the sandbox's account, its tickets asked for every second (the real service: 15 min).
    postTracking: { accounts: base.postTracking.accounts.length ? base.postTracking.accounts : [{ ...SANDBOX_POST_ACCOUNT }], ticketPollMs: Math.min(base.postTracking.ticketPollMs, 1000) },
    // Captchas: the sandbox's replica of the solving service unless the operator configured their own
    // (RUCAPTCHA_KEY), so the chain escalates local OCR → service → operator as it does in production.
    captcha: base.captcha.rucaptcha.key ? {} : { rucaptcha: { key: SANDBOX_RUCAPTCHA_KEY, url: `${sandbox.url}/__sandbox/rucaptcha`, pollMs: 200 } },
  });
  const logFile = resolve(config.runDir, 'demo', 'farm.log');
  const farm = await openFarm(config, { startServices: true, logFile });
  // The sandbox world is generated anew each run, so the demo starts from an empty database too
  // (state such as the EPGU feed position would otherwise point past the new sandbox's clock).
  for (const collection of await farm.storage.conn.db!.collections()) await collection.deleteMany({});
  const pool = await startRobotPool({ config: farm.config, storage: farm.storage, log: farm.log.child({ role: 'robot' }), robotId: farm.robotId });
  // The OCR role beside the robots (they never take ocr.document): EPGU answers end `done`.
  const ocr = await startOcrWorker({ config: farm.config, storage: farm.storage, log: farm.log.child({ role: 'ocr' }), robotId: `${farm.robotId}:ocr` });
  const out = process.stderr;
  try {
    const batch = buildDemoBatch(sandbox.world, { size: opts.size, browserShare: opts.browserShare / 100, seed: opts.seed });
    // FSSP lookups for the generated debtors (one site session and one captcha each): a tenth of the batch.
    const fsspBatch = buildFsspDemoBatch(sandbox.world, { size: Math.max(4, Math.round(opts.size / 10)), seed: opts.seed });
    batch.push(...fsspBatch);
    // EPGU applications (answers are read after the batch, once sandbox days have passed).
    const epguBatch = buildEpguDemoBatch(sandbox.world, { size: 6, seed: opts.seed });
    batch.push(...epguBatch);
    // The letters of those court cases (issue 17): one batch-access lookup.
    const postBatch = buildPostDemoBatch(sandbox.world, batch);
    batch.push(...postBatch);
    const { rps, concurrency } = farm.config.politeness.default;
    out.write(
      `konveyer demo: sandbox ${sandbox.url}, ${sandbox.world.courts.length} courts (MongoDB: ${farm.config.mongo.uri ? 'ready' : '?'}); ` +
        `submitting ${batch.length - fsspBatch.length} court.case lookups (${opts.browserShare}% in browser mode) and ${fsspBatch.length} fssp.search lookups, tracking ${postBatch.reduce((n, r) => n + ((r.input as { items?: unknown[] }).items?.length ?? 0), 0)} letters; ` +
        `politeness ${rps} req/s and ${concurrency} in flight per court host (POLITENESS_RPS, POLITENESS_CONCURRENCY)\n`,
    );
    const started = Date.now();
    const submitted = await submitLookups(
      { lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs } },
      batch,
    );
    const total = submitted.lookups.length;
    const bars = new cliProgress.MultiBar(
      { format: ' {label} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false, stream: out, noTTYOutput: !out.isTTY, notTTYSchedule: 5000 },
      cliProgress.Presets.shades_classic,
    );
    const done = bars.create(total, 0, { label: 'final    ' });
    const ok = bars.create(total, 0, { label: 'succeeded' });
    let counts = await farm.storage.lookups.countByStatus({ batchId: submitted.batchId });
    for (;;) {
      counts = await farm.storage.lookups.countByStatus({ batchId: submitted.batchId });
      const final = counts.succeeded + counts.not_found + counts.failed + counts.needs_human;
      done.update(final);
      ok.update(counts.succeeded);
      if (final >= total) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    bars.stop();
    const secs = (Date.now() - started) / 1000;
    const failures = await farm.storage.lookups.errorsByCode({ batchId: submitted.batchId });
    await runEpguInboxPhase(farm, sandbox.url, out);
    // Every HTTP capture gets its picture (robots/capture-picture/): the batch ends when they are drawn.
    const pictures = await waitForPictures(farm, out);
    const evidenceDir = await exportSampleEvidence(farm, submitted.batchId);
    // Captchas the site accepted, by the chain member that answered them (local OCR, service, operator).
    const chainStats = pool.services.captcha instanceof CaptchaChain ? pool.services.captcha.stats() : {};
    const captchasSolvedBy = Object.fromEntries(Object.entries(chainStats).map(([name, s]) => [name, s.correct]));
    const summary = {
      batchId: submitted.batchId,
      captchasSolvedBy,
      lookups: total,
      succeeded: counts.succeeded,
      notFound: counts.not_found,
      failed: counts.failed,
      failedByCode: failures,
      needsHuman: counts.needs_human,
      seconds: Number(secs.toFixed(1)),
      lookupsPerSecond: Number((total / secs).toFixed(2)),
      pictures,
    };
    out.write(
      `\nsummary: ${summary.succeeded} succeeded, ${summary.notFound} not found, ${summary.failed} failed ${JSON.stringify(failures)}, ` +
        `${summary.needsHuman} need a human — ${summary.lookupsPerSecond} lookups/s over ${summary.seconds} s\n` +
        `captchas accepted, by solver: ${JSON.stringify(captchasSolvedBy)} (CAPTCHA_CHAIN ${farm.config.captcha.chain.join(',')})\n` +
        `results: MongoDB ${redactUri(farm.config.mongo.uri!)} collections court_cases, enforcement_proceedings, postal_items, lookups; captchas for a human: npx konveyer captcha list; evidence (hash-chained) in evidence + evidence_blobs\n` +
        `pictures: ${pictures.lookupsWithPicture} of ${pictures.lookupsWithHttpCaptures} lookups with HTTP captures have theirs (${pictures.pictures} pictures, ${pictures.kbPerPicture} KB each on average, ${pictures.seconds} s after the batch)\n` +
        `screenshots, pictures and raw pages of a few lookups: ${evidenceDir}\n` +
        `logs: ${logFile}\n` +
        `inspect one: npx konveyer status <lookup id>   (with \`npx konveyer services\` running, or MONGODB_URI/REDIS_URL set)\n`,
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (!opts.exitAfterBatch) {
      out.write(`the farm keeps running (sandbox ${sandbox.url}); Ctrl-C stops it\n`);
      await waitForShutdown();
    }
  } finally {
    await pool.close();
    await ocr.close();
    await farm.close();
    await sandbox.close();
  }
}

/** Writes the evidence files of a few lookups (browser ones first) where a person can open them. */
async function exportSampleEvidence(farm: Awaited<ReturnType<typeof openFarm>>, batchId: string): Promise<string> {
  const dir = resolve(farm.config.runDir, 'demo', 'evidence');
  const lookups = await farm.storage.lookups.list({ batchId, status: 'succeeded' }, 1000);
  const sample = [...lookups.filter((l) => l.input.mode === 'browser').slice(0, 3), ...lookups.filter((l) => l.input.mode !== 'browser').slice(0, 2)];
  for (const l of sample) {
    const items = await farm.storage.evidence.listByJob(l._id);
    const sub = join(dir, l._id);
    mkdirSync(sub, { recursive: true });
    for (const item of items) {
      const body = await farm.storage.evidence.readBody(item.sha256);
      if (!body) continue;
      const ext = item.contentType.startsWith('image/') ? (item.contentType.split(/[/;]/)[1] ?? 'img').replace('jpeg', 'jpg') : 'html';
      writeFileSync(join(sub, `${String(item.seq).padStart(2, '0')}-${item.step}-${item.kind}.${ext}`), body);
    }
  }
  return dir;
}

/** Waits until no `capture.picture` job is left, then counts which lookups have their pictures. */
async function waitForPictures(farm: Awaited<ReturnType<typeof openFarm>>, out: NodeJS.WriteStream) {
  const t0 = Date.now();
  const queue = pictureQueue(farm.redis, farm.config.queue.prefix);
  try {
    // One line every 10 s at most: the pictures take minutes after the batch.
    let printedAt = 0;
    for (let pending = await picturesPending(queue); pending > 0; pending = await picturesPending(queue)) {
      if (Date.now() - printedAt >= 10_000) {
        out.write(`pictures: ${pending} lookups still to draw\n`);
        printedAt = Date.now();
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await queue.close();
  }
  const items = farm.storage.evidence.items;
  const withCaptures = await items.distinct('jobId', { kind: 'http_response' });
  const withPicture = new Set(await items.distinct('jobId', { kind: 'picture' }));
  const pictures = await items.find({ kind: 'picture' }).select({ size: 1 }).lean<Array<{ size: number }>>();
  const bytes = pictures.reduce((n, p) => n + p.size, 0);
  return {
    lookupsWithHttpCaptures: withCaptures.length,
    lookupsWithPicture: withCaptures.filter((j) => withPicture.has(j)).length,
    pictures: pictures.length,
    kbPerPicture: pictures.length ? Math.round(bytes / pictures.length / 1024) : 0,
    seconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
  };
}

const redactUri = (uri: string) => uri.replace(/\/\/[^@/]*@/, '//***@');
