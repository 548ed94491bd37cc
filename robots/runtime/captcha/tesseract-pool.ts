/**
 * A small pool of tesseract.js workers for one language, created lazily, reused, and recycled after
 * N recognitions: tesseract.js keeps growing its WASM heap over long runs, so a worker is terminated
 * and replaced once it has served `recycleAfter` jobs.
 */
import { mkdirSync } from 'node:fs';
import { createWorker, OEM, type Worker, type WorkerParams } from 'tesseract.js';

/** Settings of a {@link TesseractPool} (already validated by the owner). */
export interface TesseractPoolSettings {
  /** tesseract language(s), e.g. `eng`, `rus`, `rus+eng`. */
  lang: string;
  /** Folder with `<lang>.traineddata` (uncompressed). */
  langPath: string;
  /** Folder tesseract.js may use as its cache (unused for local langPath, but must exist). */
  cachePath: string;
  /** Max workers alive at once. */
  size: number;
  /** Recognitions after which a worker is terminated and replaced. */
  recycleAfter: number;
}

interface Slot {
  worker: Worker;
  uses: number;
  /** Parameters last set on this worker, as JSON, to skip redundant setParameters calls. */
  paramsKey: string;
}

/** Lazily-created, recycling worker pool; `close()` terminates every worker. */
export class TesseractPool {
  readonly #settings: TesseractPoolSettings;
  readonly #idle: Slot[] = [];
  readonly #waiters: Array<{ resolve: (slot: Slot) => void; reject: (err: Error) => void }> = [];
  #alive = 0;
  #closed = false;
  #created = 0;
  #recycled = 0;

  constructor(settings: TesseractPoolSettings) {
    this.#settings = settings;
  }

  /** Counters for tests and metrics. */
  get stats(): { alive: number; created: number; recycled: number } {
    return { alive: this.#alive, created: this.#created, recycled: this.#recycled };
  }

  /**
   * Runs `fn` with a worker whose parameters were set to `params`; the worker goes back to the pool
   * (or is recycled) afterwards, also when `fn` throws.
   */
  async use<T>(params: Partial<WorkerParams>, fn: (worker: Worker) => Promise<T>): Promise<T> {
    const slot = await this.#acquire();
    let healthy = true;
    try {
      const key = JSON.stringify(params);
      if (slot.paramsKey !== key) {
        await slot.worker.setParameters(params);
        slot.paramsKey = key;
      }
      return await fn(slot.worker);
    } catch (err) {
      // A worker that failed mid-job may be in a bad state: replace it rather than reuse it.
      healthy = false;
      throw err;
    } finally {
      slot.uses++;
      await this.#release(slot, healthy);
    }
  }

  async #acquire(): Promise<Slot> {
    if (this.#closed) throw new Error('TesseractPool is closed');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#alive < this.#settings.size) {
      this.#alive++;
      try {
        return await this.#create();
      } catch (err) {
        this.#alive--;
        throw err;
      }
    }
    return new Promise<Slot>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async #create(): Promise<Slot> {
    const { lang, langPath, cachePath } = this.#settings;
    mkdirSync(cachePath, { recursive: true });
    // Captchas are not words: the dictionaries would only pull answers towards real words.
    const worker = await createWorker(lang, OEM.LSTM_ONLY, { langPath, cachePath, gzip: false }, {
      load_system_dawg: '0',
      load_freq_dawg: '0',
    });
    this.#created++;
    return { worker, uses: 0, paramsKey: '' };
  }

  async #release(slot: Slot, healthy: boolean): Promise<void> {
    let next: Slot = slot;
    if (this.#closed || !healthy || slot.uses >= this.#settings.recycleAfter) {
      if (!this.#closed) this.#recycled++;
      await slot.worker.terminate().catch(() => undefined);
      this.#alive--;
      const waiter = this.#closed ? undefined : this.#waiters.shift();
      if (!waiter) return;
      this.#alive++;
      try {
        next = await this.#create();
      } catch (err) {
        this.#alive--;
        waiter.reject(err as Error);
        return;
      }
      waiter.resolve(next);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(next);
    else this.#idle.push(next);
  }

  /** Terminates all idle workers now and busy ones when they finish; pending callers are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new Error('TesseractPool is closed'));
    const idle = this.#idle.splice(0);
    this.#alive -= idle.length;
    await Promise.all(idle.map((s) => s.worker.terminate().catch(() => undefined)));
  }
}
