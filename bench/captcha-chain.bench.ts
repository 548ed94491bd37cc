/**
 * Figures of the captcha chain (issue 15 §2): answers sent per lookup, share of lookups solved by
 * local OCR / the service / an operator, service cost per 1 000 lookups (RUCAPTCHA_PRICE_RUB),
 * operator hand-offs, and the time a lookup waits for an operator (p50 / p95 of those that reached one).
 *
 *   npx tsx bench/captcha-chain.bench.ts [lookups=60] [serviceAccuracy=0.9] [operatorDelaySecs=5] [rounds=1]
 *
 * A "lookup" is a site that draws a new captcha after every wrong answer (sudrf, FSSP, kcaptcha all
 * do), answered through the product's chain as the pool builds it (buildCaptchaChain: CAPTCHA_CHAIN,
 * CAPTCHA_LOCAL_MIN_CONFIDENCE, CAPTCHA_MAX_TRIES, RUCAPTCHA_PRICE_RUB from the environment),
 * inside one escalation scope per lookup. Local OCR is the real solver; the service is the
 * rucaptcha HTTP API (a local fake whose worker is right with probability `serviceAccuracy`, an
 * assumption: the real one is paid); the operator is the product's own member (OperatorSolver over
 * `captcha_tasks` in the embedded MongoDB-wire server, waiting CAPTCHA_OPERATOR_WAIT_SECS
 * in-process), answered by a fake of a person: a dashboard that looks for open tasks every 500 ms
 * and answers each `operatorDelaySecs` after it was opened, always right. A lookup's operator
 * wait is the time its captchas spent with the operator member, measured; a wait past
 * CAPTCHA_OPERATOR_WAIT_SECS would park the lookup (counted as parked). Populations: sandbox sudrf
 * and FSSP pictures, and the real labelled sudrf and FSSP captchas (../shared/fixtures/real/sudrf/captcha,
 * ../shared/fixtures/real/fssp with test/conformance/fssp-captcha-labels.ts; the redraws cycle through them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import { createPrng } from '../sandbox/data/prng.ts';
import { buildCaptchaChain } from '../robots/runtime/captcha/build-chain.ts';
import { withCaptchaEscalation, type CaptchaKind, type CaptchaSolution, type CaptchaSolver, type CaptchaTask } from '../robots/runtime/captcha/index.ts';
import { drawFsspCaptcha, fsspCaptchaAnswer } from '../sandbox/fssp/captcha-image.ts';
import { drawSudrfCaptcha, sudrfCaptchaAnswer } from '../sandbox/sudrf/captcha-image.ts';
import { startFakeRucaptcha } from '../test/fakes/rucaptcha.fake.ts';
import { FSSP_CAPTCHA_LABELS } from '../test/conformance/fssp-captcha-labels.ts';
import { openStorage } from '../storage/index.ts';
import { startBenchServices } from './support/farm.ts';
import { figureOf, type BenchReport, type Figure } from './support/report.ts';

const lookups = Number(process.argv[2] ?? 60);
const serviceAccuracy = Number(process.argv[3] ?? 0.9);
const operatorDelaySecs = Number(process.argv[4] ?? 5);
const rounds = Math.max(1, Number(process.argv[5] ?? 1));

interface Picture {
  image: Buffer;
  answer: string;
}
type Draw = (lookup: number, attempt: number) => Promise<Picture>;

// What the fake service's worker "sees": the answer of each picture sent, by its bytes.
const known = new Map<string, string>();
const rng = createPrng(15);
const wrongOf = (a: string) => (a[0] === '2' ? '3' : '2') + a.slice(1);
const fake = await startFakeRucaptcha({
  key: 'bench-key',
  notReadyPolls: 1,
  answer: (image) => {
    const right = known.get(image.toString('base64')) ?? null;
    return right && rng.next() >= serviceAccuracy ? wrongOf(right) : right;
  },
});

const config = loadConfig({ ...process.env, RUCAPTCHA_KEY: 'bench-key', RUCAPTCHA_URL: fake.url, RUCAPTCHA_POLL_MS: '10', LOG_LEVEL: 'silent' });
const log = createLogger({ level: 'silent' });
const chainConfig = config.captcha;

// The operator member's tasks live in the embedded MongoDB-wire server (a database of this run).
const services = await startBenchServices();
const db = `bench_captcha_${randomUUID().slice(0, 8)}`;
const storage = await openStorage({ uri: services.mongoUri, db });

/** The fake of a person at the dashboard: looks for open tasks every 500 ms, answers each `operatorDelaySecs` after it opened. */
let personOn = true;
const person = (async () => {
  while (personOn) {
    for (const task of await storage.captchaTasks.list({ status: 'open' }).catch(() => [])) {
      if (Date.now() - new Date(task.createdAt).getTime() < operatorDelaySecs * 1000) continue;
      const answer = known.get(task.imageBase64);
      if (answer) await storage.captchaTasks.answer(task._id, answer, 'bench-person').catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
})();

/** Times the operator member: what the current lookup spent waiting for a person. */
let operatorMsThisLookup = 0;
function timedOperator(solver: CaptchaSolver): CaptchaSolver {
  if (solver.name !== 'operator') return solver;
  return {
    name: solver.name,
    async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
      const started = performance.now();
      try {
        return await solver.solve(task);
      } finally {
        operatorMsThisLookup += performance.now() - started;
      }
    },
    report: solver.report?.bind(solver),
  };
}

interface Run {
  label: string;
  lookups: number;
  answers: number;
  solvedBy: Record<string, number>;
  failed: number;
  serviceAnswers: number;
  serviceBad: number;
  handoffs: number;
  /** Seconds each lookup that reached the operator waited for one (all its hand-offs). */
  operatorWaits: number[];
  /** Lookups whose operator did not answer within CAPTCHA_OPERATOR_WAIT_SECS (they would park). */
  parked: number;
  ms: number;
}

async function run(label: string, kind: CaptchaKind, draw: Draw, n: number): Promise<Run> {
  const built = await buildCaptchaChain(chainConfig, { log, captchaTasks: storage.captchaTasks, wrap: timedOperator });
  const out: Run = { label, lookups: n, answers: 0, solvedBy: {}, failed: 0, serviceAnswers: 0, serviceBad: 0, handoffs: 0, operatorWaits: [], parked: 0, ms: 0 };
  const started = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      operatorMsThisLookup = 0;
      let reachedOperator = false;
      await withCaptchaEscalation(async () => {
        for (let attempt = 0; attempt < config.captcha.maxTries; attempt++) {
          const picture = await draw(i, attempt);
          known.set(picture.image.toString('base64'), picture.answer);
          const asked = operatorMsThisLookup;
          const solution = await built.chain.solve({ image: picture.image, kind });
          if (operatorMsThisLookup > asked) reachedOperator = true;
          if (!solution) {
            if (reachedOperator) out.parked++;
            break;
          }
          out.answers++;
          if (solution.solver === 'operator') out.handoffs++;
          const ok = solution.answer === picture.answer;
          await built.chain.report(solution, ok);
          if (ok) {
            out.solvedBy[solution.solver] = (out.solvedBy[solution.solver] ?? 0) + 1;
            return;
          }
        }
        out.failed++;
      });
      if (reachedOperator) out.operatorWaits.push(operatorMsThisLookup / 1000);
    }
    const stats = built.chain.stats();
    out.serviceAnswers = stats.rucaptcha?.answered ?? 0;
    out.serviceBad = stats.rucaptcha?.wrong ?? 0;
  } finally {
    out.ms = performance.now() - started;
    await built.close();
  }
  return out;
}

const runs: Run[] = [];
const dir = fileURLToPath(new URL('../../shared/fixtures/real/sudrf/captcha/', import.meta.url));
const real = existsSync(join(dir, 'labels.csv'))
  ? readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((row) => {
    const [file, answer] = row.split(',');
    return { image: readFileSync(join(dir, file!)), answer: answer! };
  })
  : [];
const fsspDir = fileURLToPath(new URL('../../shared/fixtures/real/fssp/', import.meta.url));
const realFssp = FSSP_CAPTCHA_LABELS.filter((l) => existsSync(join(fsspDir, l.file))).map((l) => ({ image: readFileSync(join(fsspDir, l.file)), answer: l.answer }));
try {
  // Each round draws other pictures (seeds moved by the round), so rounds are samples, not repeats.
  for (let round = 0; round < rounds; round++) {
    const base = round * 1_000_000;
    runs.push(await run('sandbox sudrf', 'digits5', async (i, a) => {
      const seed = 50_000 + base + i * 100 + a;
      const answer = sudrfCaptchaAnswer(seed);
      return { image: await drawSudrfCaptcha(answer, seed), answer };
    }, lookups));
    runs.push(await run('sandbox fssp', 'cyrillic5', async (i, a) => {
      const seed = 70_000 + base + i * 100 + a;
      const answer = fsspCaptchaAnswer(createPrng(seed));
      return { image: await drawFsspCaptcha(answer, seed), answer };
    }, lookups));
    if (real.length) runs.push(await run('real sudrf (labelled)', 'digits5', async (i, a) => real[(i + a + round) % real.length]!, real.length));
    if (realFssp.length) runs.push(await run('real fssp (labelled)', 'cyrillic5', async (i, a) => realFssp[(i + a + round) % realFssp.length]!, realFssp.length));
  }
} finally {
  personOn = false;
  await person;
  await fake.close();
  await storage.conn.dropDatabase().catch(() => undefined);
  await storage.close();
  await services.stop();
}

const price = config.captcha.servicePriceRub;
const waitSecs = config.captcha.operator.waitMs / 1000;
/** The q-quantile (nearest rank) of `values`, or NaN when there are none. */
const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const figures: Figure[] = [];
console.log(`chain ${config.captcha.chain.join(',')}, local min confidence ${config.captcha.localMinConfidence}, max tries ${config.captcha.maxTries}, service accuracy ${serviceAccuracy} (assumed), price ${price} RUB/solve, operator answers after ${operatorDelaySecs} s (fake person), in-process wait ${waitSecs} s, ${rounds} round(s)`);
const costOf = (r: Run) => ((r.serviceAnswers - r.serviceBad) * price * 1000) / r.lookups; // reportbad is refunded
for (const r of runs) {
  const share = (s: string) => (r.solvedBy[s] ?? 0) / r.lookups;
  const w = r.operatorWaits;
  console.log(
    `${r.label.padEnd(22)} lookups ${String(r.lookups).padStart(4)}  answers/lookup ${(r.answers / r.lookups).toFixed(2)}  ` +
      `solved: local ${(share('local-ocr') * 100).toFixed(0)}%  service ${(share('rucaptcha') * 100).toFixed(0)}%  operator ${(share('operator') * 100).toFixed(0)}%  failed ${((r.failed / r.lookups) * 100).toFixed(0)}%  ` +
      `service ${costOf(r).toFixed(1)} RUB/1000 lookups  operator hand-offs ${(r.handoffs / r.lookups).toFixed(2)}/lookup  ` +
      `operator wait (${w.length} lookups reached one) p50 ${quantile(w, 0.5).toFixed(1)} s p95 ${quantile(w, 0.95).toFixed(1)} s, parked ${r.parked}  ${(r.ms / r.lookups).toFixed(0)} ms/lookup`,
  );
}
for (const label of [...new Set(runs.map((r) => r.label))]) {
  const of = runs.filter((r) => r.label === label);
  const share = (r: Run, s: string) => ((r.solvedBy[s] ?? 0) / r.lookups) * 100;
  const withWaits = of.filter((r) => r.operatorWaits.length > 0);
  figures.push(figureOf(`${label}: captcha answers per lookup`, 'answers', of.map((r) => r.answers / r.lookups)));
  figures.push(figureOf(`${label}: solved by local OCR`, '%', of.map((r) => share(r, 'local-ocr'))));
  figures.push(figureOf(`${label}: solved by the service`, '%', of.map((r) => share(r, 'rucaptcha'))));
  figures.push(figureOf(`${label}: solved by an operator`, '%', of.map((r) => share(r, 'operator'))));
  figures.push(figureOf(`${label}: service cost per 1000 lookups`, 'RUB', of.map(costOf)));
  figures.push(figureOf(`${label}: operator hand-offs per lookup`, 'hand-offs', of.map((r) => r.handoffs / r.lookups)));
  if (withWaits.length) {
    figures.push(figureOf(`${label}: wait for an operator, p50 of lookups that reached one`, 's', withWaits.map((r) => quantile(r.operatorWaits, 0.5))));
    figures.push(figureOf(`${label}: wait for an operator, p95 of lookups that reached one`, 's', withWaits.map((r) => quantile(r.operatorWaits, 0.95))));
    const pooled = of.flatMap((r) => r.operatorWaits);
    console.log(`${label.padEnd(22)} all rounds: ${pooled.length} lookups reached an operator, wait p50 ${quantile(pooled, 0.5).toFixed(1)} s p95 ${quantile(pooled, 0.95).toFixed(1)} s max ${Math.max(...pooled).toFixed(1)} s; service ${Math.min(...of.map(costOf)).toFixed(1)}–${Math.max(...of.map(costOf)).toFixed(1)} RUB/1000 lookups`);
  }
}
const report: BenchReport = {
  bench: 'captcha-chain',
  figures,
  notes: [
    `chain ${config.captcha.chain.join(',')}; CAPTCHA_LOCAL_MIN_CONFIDENCE ${config.captcha.localMinConfidence}; CAPTCHA_MAX_TRIES ${config.captcha.maxTries}`,
    `service: local fake of the rucaptcha API, worker right with p=${serviceAccuracy} (assumed); ${price} RUB per solve (RUCAPTCHA_PRICE_RUB), reportbad refunded`,
    `operator: the product's OperatorSolver over captcha_tasks (embedded MongoDB-wire server), in-process wait ${waitSecs} s; a fake person answers ${operatorDelaySecs} s after a task opens, looking every 500 ms`,
  ],
  rounds: runs,
};
console.log(JSON.stringify(report));
