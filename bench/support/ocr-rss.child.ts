/**
 * The OCR engine as the OCR role runs it, alone in its own process, for the RSS figure of
 * bench/ocr.bench.ts: recognises the given page images round-robin with `workers` pages in flight,
 * and prints one JSON line per checkpoint (`{"pages":10,"rssBytes":…}`) and a final
 * `{"done":true,…}` line. tesseract.js workers are worker threads, so process RSS includes them.
 *
 *   node --import tsx bench/support/ocr-rss.child.ts <pages> <workers> <recycleAfterPages> <png…>
 */
import { readFileSync } from 'node:fs';
import { createOcrEngine } from '../../ocr/index.ts';
import { loadConfig } from '../../config/index.ts';

const [pagesArg, workersArg, recycleArg, ...files] = process.argv.slice(2);
const total = Number(pagesArg);
const workers = Number(workersArg);
const recycleAfterPages = Number(recycleArg);
const images = files.map((f) => readFileSync(f));
if (!(total > 0) || !(workers > 0) || !(recycleAfterPages > 0) || images.length === 0) {
  throw new Error('usage: ocr-rss.child.ts <pages> <workers> <recycleAfterPages> <png…>');
}

const engine = await createOcrEngine({ workers, recycleAfterPages, pageSegMode: loadConfig().ocr.pageSegMode });
const started = performance.now();
let next = 0;
let maxRss = process.memoryUsage().rss;
const checkpoints = [...new Set([Math.min(10, total), total])];

/** Recognise pages until `upTo` are done, `workers` in flight. */
async function runTo(upTo: number): Promise<void> {
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < upTo) {
      const i = next++;
      await engine.recognize(images[i % images.length]!);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
  }));
}

for (const at of checkpoints) {
  await runTo(at);
  console.log(JSON.stringify({ pages: at, rssBytes: process.memoryUsage().rss, secs: (performance.now() - started) / 1000 }));
}
const { generations } = engine.stats();
console.log(JSON.stringify({ done: true, maxRssBytes: maxRss, generations, secs: (performance.now() - started) / 1000 }));
await engine.close();
process.exit(0);
