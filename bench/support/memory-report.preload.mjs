// Loaded into a benchmark's robot process (`node --import ./bench/support/memory-report.preload.mjs …`):
// prints `memusage {rss,heapTotal,heapUsed,external,arrayBuffers}` (bytes, process.memoryUsage())
// on stdout every second, so the benchmark can tell which part of the robot's memory grows. Worker
// threads inherit --import; only the main thread reports (a worker's heap figures are its own isolate's).
import { isMainThread } from 'node:worker_threads';

if (isMainThread) setInterval(() => process.stdout.write(`memusage ${JSON.stringify(process.memoryUsage())}\n`), 1000).unref();
