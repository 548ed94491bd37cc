// Loaded into a benchmark's robot process (`node --import ./bench/support/memory-report.preload.mjs …`):
// prints `memusage {rss,heapTotal,heapUsed,external,arrayBuffers}` (bytes, process.memoryUsage())
// on stdout every second, so the benchmark can tell which part of the robot's memory grows. Worker
// threads inherit --import; only the main thread reports (a worker's heap figures are its own isolate's).
//
// With `--expose-gc` as well, SIGUSR2 forces two full GCs of the main isolate (the second one collects
// what the first one's weak callbacks and finalizers let go) and prints
// `memgc {"seq":n,"before":{…},"after":[{"ms":0,…},{"ms":500,…},{"ms":2000,…}]}`: process.memoryUsage()
// before, right after, and 0.5 s / 2 s after (V8 gives freed pages back to the OS on a background
// thread, so RSS keeps falling for a moment). `seq` counts the signals, so the bench can wait for the
// reply to the signal it sent. The benchmark sends it only between chunks, while the robot is idle.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  setInterval(() => process.stdout.write(`memusage ${JSON.stringify(process.memoryUsage())}\n`), 1000).unref();
  const gc = globalThis.gc;
  if (typeof gc === 'function') {
    let seq = 0;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    process.on('SIGUSR2', async () => {
      const n = ++seq;
      const before = process.memoryUsage();
      const t0 = performance.now();
      gc();
      await new Promise((r) => setImmediate(r));
      gc();
      const gcMs = Math.round(performance.now() - t0);
      const after = [{ ms: 0, ...process.memoryUsage() }];
      await sleep(500);
      after.push({ ms: 500, ...process.memoryUsage() });
      await sleep(1500);
      after.push({ ms: 2000, ...process.memoryUsage() });
      process.stdout.write(`memgc ${JSON.stringify({ seq: n, gcMs, before, after })}\n`);
    });
  }
}
