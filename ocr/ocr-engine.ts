/**
 * The OCR engine: a tesseract.js scheduler with one worker per core (Russian + English LSTM data
 * from Debian's tesseract-ocr-rus, read from disk, never downloaded), recycled after N pages.
 * tesseract.js workers grow in memory page after page, and a scheduler cannot drop one worker, so
 * the engine retires the whole scheduler ("a generation") after `recycleAfterPages` pages per
 * worker: new pages go to a fresh scheduler while the old one finishes its pages and terminates.
 */
import { availableParallelism } from 'node:os';
import { createScheduler, createWorker, OEM, type PSM, type Scheduler } from 'tesseract.js';

/** Options of `createOcrEngine`. */
export interface OcrEngineOptions {
  /** Workers (threads); default: the number of cores. */
  workers?: number;
  /** Pages a worker reads before its scheduler is retired and replaced; default 200. */
  recycleAfterPages?: number;
  /** Folder with `rus.traineddata` / `eng.traineddata`; default Debian's. */
  langPath?: string;
  /** Languages; default `['rus', 'eng']`. */
  langs?: string[];
  /**
   * Tesseract page segmentation mode: `6` one uniform block of text (the library's default and
   * tesseract.js's), `4` one column of text of varying sizes, `3` full automatic layout analysis
   * (the CLI's default). Default `6`; config `OCR_PAGE_SEG_MODE` (bench/ocr.bench.ts measures them).
   */
  pageSegMode?: OcrPageSegMode;
}

/** The page segmentation modes the farm offers (see OcrEngineOptions.pageSegMode). */
export const OCR_PAGE_SEG_MODES = ['3', '4', '6'] as const;
export type OcrPageSegMode = (typeof OCR_PAGE_SEG_MODES)[number];

/** What one page gave. `confidence` is 0–1. */
export interface OcrPageResult {
  text: string;
  confidence: number;
}

/** Counters for ops and benchmarks. */
export interface OcrEngineStats {
  pages: number;
  generations: number;
  workers: number;
}

/** A running engine; `close()` terminates every worker. */
export interface OcrEngine {
  recognize(image: Buffer): Promise<OcrPageResult>;
  stats(): OcrEngineStats;
  close(): Promise<void>;
}

/** Debian's tessdata (`tesseract-ocr-rus`, `tesseract-ocr-eng`). */
export const DEBIAN_TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';

interface Generation {
  scheduler: Scheduler;
  pages: number;
  inflight: number;
  retired: boolean;
  drained: Promise<void>;
  resolveDrained: () => void;
}

/** Start an engine; workers load their models before this resolves (≈0.5 s each). */
export async function createOcrEngine(options: OcrEngineOptions = {}): Promise<OcrEngine> {
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const recycleAfter = Math.max(1, options.recycleAfterPages ?? 200);
  const langs = options.langs ?? ['rus', 'eng'];
  const langPath = options.langPath ?? DEBIAN_TESSDATA;
  const pageSegMode = options.pageSegMode ?? '6';
  let pages = 0;
  let generations = 0;
  let closed = false;
  const retiring = new Set<Promise<void>>();

  async function startGeneration(): Promise<Generation> {
    const scheduler = createScheduler();
    const started = await Promise.all(Array.from({ length: workers }, () =>
      // gzip:false — Debian ships plain .traineddata; cacheMethod none — nothing written to disk.
      createWorker(langs, OEM.LSTM_ONLY, { langPath, gzip: false, cacheMethod: 'none' })));
    for (const w of started) {
      if (pageSegMode !== '6') await w.setParameters({ tessedit_pageseg_mode: pageSegMode as PSM });
      scheduler.addWorker(w);
    }
    generations++;
    let resolveDrained!: () => void;
    const drained = new Promise<void>((r) => { resolveDrained = r; });
    return { scheduler, pages: 0, inflight: 0, retired: false, drained, resolveDrained };
  }

  let current: Promise<Generation> = startGeneration();
  await current;

  function retire(gen: Generation): void {
    gen.retired = true;
    if (gen.inflight === 0) gen.resolveDrained();
    const done = gen.drained.then(() => gen.scheduler.terminate()).then(() => undefined, () => undefined);
    retiring.add(done);
    void done.finally(() => retiring.delete(done));
  }

  return {
    async recognize(image) {
      if (closed) throw new Error('the OCR engine is closed');
      let gen = await current;
      // Another call retired this generation while we waited: take the one that replaced it
      // (retiring it a second time would terminate it twice and start a stray generation).
      while (gen.retired) {
        if (closed) throw new Error('the OCR engine is closed');
        gen = await current;
      }
      if (gen.pages >= recycleAfter * workers) {
        retire(gen);
        current = startGeneration();
        gen = await current;
      }
      gen.pages++;
      gen.inflight++;
      try {
        const { data } = await gen.scheduler.addJob('recognize', image);
        pages++;
        return { text: data.text, confidence: Math.round(data.confidence * 10) / 1000 };
      } finally {
        gen.inflight--;
        if (gen.retired && gen.inflight === 0) gen.resolveDrained();
      }
    },
    stats: () => ({ pages, generations, workers }),
    async close() {
      if (closed) return;
      closed = true;
      const gen = await current;
      retire(gen);
      await Promise.all([...retiring]);
    },
  };
}
