/**
 * FSSP lookups end to end in HTTP mode against the sandbox with the captcha gate on.
 *
 *   npx tsx bench/fssp.bench.ts [N=60] [rounds=2]
 *
 * Each round: a fresh database, an in-process robot pool (fssp.search only, concurrency 8) whose
 * captcha chain is local OCR → operator (no paid service); N lookups mixing the four search kinds
 * (ИП number, person, executive document, legal entity), each its own site session and therefore its
 * own captcha. Figures: lookups/s from submit to the last final lookup; the share of captchas the
 * local solver passed (sessions unlocked by a local-OCR code / challenges issued); captcha answers
 * sent to the site per 1 000 lookups (from the sandbox's own counters: solved + wrong).
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import type { JobName } from '../queues/names.ts';
import { createRedis } from '../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../queues/submit.ts';
import { startRobotPool } from '../robots/pool.ts';
import type { CaptchaSolverStats } from '../robots/runtime/captcha/index.ts';
import { FsspBank, type SandboxProceeding } from '../sandbox/fssp/fssp.data.ts';
import { startSandbox } from '../sandbox/server.ts';
import { openStorage } from '../storage/index.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServices } from '../storage/embedded/index.ts';
import { REPO_ROOT } from './support/child.ts';
import { figureOf, finish, fmt, printTable } from './support/report.ts';

const N = Number(process.argv[2] ?? 60);
const ROUNDS = Number(process.argv[3] ?? 2);
const CONCURRENCY = 8;

// Its own run folder: another benchmark may be using `.run/bench` at the same time.
const runDir = join(REPO_ROOT, '.run', 'bench-fssp');
mkdirSync(runDir, { recursive: true });
const services = await startServices({ runDir });
const sandbox = await startSandbox({ port: 0, seed: 42 });
const bank = new FsspBank(sandbox.world);
const redis = createRedis(services.redisUrl);
const stats = async () => (await (await fetch(`${sandbox.url}/__sandbox/fssp/stats`)).json()) as { challenges: number; solved: number; wrong: number };

function requestFor(p: SandboxProceeding, i: number): SubmitRequest {
  const region = p.regionCode;
  switch (i % 4) {
    case 0:
      return { type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } };
    case 1:
      if (p.debtorKind === 'person' && p.debtor.birthDate) {
        return { type: 'fssp.search', input: { kind: 'person', lastName: p.debtor.lastName, firstName: p.debtor.firstName, patronymic: p.debtor.middleName, birthDate: p.debtor.birthDate, region } };
      }
      return { type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } };
    case 2:
      return { type: 'fssp.search', input: { kind: 'document', number: p.executiveDocument.number, type: p.executiveDocument.typeId, region } };
    default:
      return p.debtorKind === 'legal'
        ? { type: 'fssp.search', input: { kind: 'legal', name: p.debtor.name, region } }
        : { type: 'fssp.search', input: { kind: 'person', lastName: p.debtor.lastName, firstName: p.debtor.firstName, birthDate: p.debtor.birthDate ?? '1970-01-01', region: 'all' } };
  }
}

interface Round {
  round: number;
  perSecond: number;
  seconds: number;
  statuses: Record<string, number>;
  challenges: number;
  answersSent: number;
  localShare: number;
  answersPer1000: number;
  chain: Record<string, CaptchaSolverStats>;
}
const rounds: Round[] = [];

try {
  for (let round = 1; round <= ROUNDS; round++) {
    const storage = await openStorage({ uri: services.mongoUri, db: `bench_fssp_${Date.now()}_r${round}` });
    const config = loadConfig({
      REDIS_URL: services.redisUrl,
      MONGODB_URI: services.mongoUri,
      QUEUE_PREFIX: `bench-fssp-${randomUUID().slice(0, 8)}`,
      SANDBOX_ORIGIN: sandbox.url,
      POLITENESS_RPS: '1000',
      POLITENESS_CONCURRENCY: '64',
      ROBOT_CONCURRENCY: String(CONCURRENCY),
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_MS: '200',
      CAPTCHA_MAX_TRIES: '8',
      CAPTCHA_OPERATOR_WAIT_SECS: '0',
      LOG_LEVEL: 'silent',
      // Local OCR alone (guessing, never a person): these figures are of the robots, as before the chain escalated (bench/captcha-chain.bench.ts has the chain's).
      CAPTCHA_CHAIN: 'local',
    });
    const pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'bench-fssp', only: ['fssp.search'], concurrency: CONCURRENCY });
    const queue = new Queue('fssp.search', { connection: redis, prefix: config.queue.prefix });
    try {
      const offset = (round - 1) * N;
      const batch = Array.from({ length: N }, (_, i) => requestFor(bank.proceedings[(offset + i * 7) % bank.proceedings.length]!, i));
      const s0 = await stats();
      const started = Date.now();
      const res = await submitLookups({ lookups: storage.lookups, queueFor: (_: JobName) => queue, jobOptions: { attempts: 3, backoffMs: 200 } }, batch);
      for (;;) {
        const c = await storage.lookups.countByStatus({ batchId: res.batchId });
        if (c.succeeded + c.not_found + c.failed + c.needs_human >= N) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const seconds = (Date.now() - started) / 1000;
      const s1 = await stats();
      const chain = (pool.services.captcha as unknown as { stats(): Record<string, CaptchaSolverStats> }).stats();
      const challenges = s1.challenges - s0.challenges;
      const answersSent = s1.solved - s0.solved + (s1.wrong - s0.wrong);
      const statuses = await storage.lookups.countByStatus({ batchId: res.batchId });
      rounds.push({
        round,
        perSecond: N / seconds,
        seconds,
        statuses,
        challenges,
        answersSent,
        localShare: (chain['local-ocr']?.correct ?? 0) / Math.max(1, challenges),
        answersPer1000: (answersSent / N) * 1000,
        chain,
      });
      const r = rounds.at(-1)!;
      console.log(`round ${round}: ${fmt(r.perSecond)} lookups/s, ${JSON.stringify(statuses)}, challenges ${challenges}, answers ${answersSent}, local share ${fmt(r.localShare)}`);
    } finally {
      await queue.close();
      await pool.close();
      await storage.conn.dropDatabase().catch(() => undefined);
      await storage.close();
    }
  }
  printTable(['round', 'lookups/s', 'challenges', 'answers', 'local share'], rounds.map((r) => [String(r.round), fmt(r.perSecond), String(r.challenges), String(r.answersSent), fmt(r.localShare)]));
  finish({
    bench: 'fssp',
    figures: [
      figureOf('FSSP e2e lookups/s (HTTP, captcha on)', 'lookups/s', rounds.map((r) => r.perSecond)),
      figureOf('captchas solved locally', 'share', rounds.map((r) => r.localShare)),
      figureOf('captcha answers per 1 000 lookups', 'answers', rounds.map((r) => r.answersPer1000)),
    ],
    notes: [
      `N=${N} per round, ${ROUNDS} rounds, robot concurrency ${CONCURRENCY}, one site session (one captcha) per lookup`,
      'chain: local OCR (tesseract, 1 worker) → operator (parks at once); no paid service',
      'local share = captchas passed with a local-OCR code / challenges issued by the sandbox',
    ],
    rounds,
  });
} finally {
  redis.disconnect();
  await sandbox.close();
  await services.stop();
}
