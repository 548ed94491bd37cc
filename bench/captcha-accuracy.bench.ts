/**
 * Accuracy and speed of the local OCR captcha solver.
 *
 *   npx tsx bench/captcha-accuracy.bench.ts [N=100] [variants=all, comma-separated]
 *
 * Prints accuracy, declined share and ms/solve on N seeded sandbox sudrf captchas, and on the real
 * labelled set in ../shared/fixtures/real/sudrf/captcha when it exists. Baseline: a naive OCR on
 * the real FSSP captcha got 15 of 66 right (TARGETS.md §3.2); ratios are printed against 23%.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLEANUP_VARIANTS, LocalOcrSolver, type CleanupVariant } from '../robots/runtime/captcha/index.ts';
import { drawSudrfCaptcha, sudrfCaptchaAnswer } from '../sandbox/sudrf/captcha-image.ts';

const BASELINE_ACCURACY = 15 / 66;
const n = Number(process.argv[2] ?? 100);
const variants = (process.argv[3]?.split(',') ?? [...CLEANUP_VARIANTS]) as CleanupVariant[];

interface Sample {
  image: Buffer;
  expected: string;
}

async function run(label: string, solver: LocalOcrSolver, samples: Sample[]): Promise<void> {
  let correct = 0;
  let declined = 0;
  const started = performance.now();
  for (const s of samples) {
    const solution = await solver.solve({ image: s.image, kind: 'digits5' });
    if (!solution) declined++;
    else if (solution.answer === s.expected) correct++;
  }
  const ms = (performance.now() - started) / samples.length;
  const accuracy = correct / samples.length;
  console.log(
    `${label.padEnd(22)} n=${String(samples.length).padStart(4)}  accuracy ${(accuracy * 100).toFixed(1).padStart(5)}%  ` +
      `declined ${((declined / samples.length) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(4)} ms/solve  ` +
      `×${(accuracy / BASELINE_ACCURACY).toFixed(2)} of baseline`,
  );
}

const solver = new LocalOcrSolver({ variants });
try {
  console.log(`variants: ${variants.join(', ')}`);
  // Warm the worker up so the first solve does not carry the model load.
  await solver.solve({ image: await drawSudrfCaptcha('00000', 0), kind: 'digits5' });
  const sandbox: Sample[] = [];
  for (let seed = 10_000; seed < 10_000 + n; seed++) {
    const expected = sudrfCaptchaAnswer(seed);
    sandbox.push({ image: await drawSudrfCaptcha(expected, seed), expected });
  }
  await run('sandbox sudrf', solver, sandbox);

  const dir = fileURLToPath(new URL('../../shared/fixtures/real/sudrf/captcha/', import.meta.url));
  if (existsSync(join(dir, 'labels.csv'))) {
    const [, ...rows] = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
    const real = rows.map((row) => {
      const [file, expected] = row.split(',');
      return { image: readFileSync(join(dir, file!)), expected: expected! };
    });
    await run('real sudrf (labelled)', solver, real);
  } else {
    console.log('real sudrf (labelled)  skipped: ../shared/fixtures/real/sudrf/captcha not found');
  }
} finally {
  await solver.close();
}
