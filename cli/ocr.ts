/**
 * `konveyer ocr`: the OCR process role and tools. `konveyer ocr work` (the default subcommand, so
 * `konveyer ocr` alone runs it) serves the `ocr.document` queue until SIGTERM; `konveyer ocr read
 * <file…>` reads documents (PDF or image) in one process with one tesseract.js scheduler, one JSON
 * line per file, a bad file does not stop the batch. Also hosts `parse document` (cli/parse.ts).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeError } from '../core/errors.ts';
import { parsePositive } from './robots.ts';
import type { OcrEngine } from '../ocr/index.ts';

/** Lazily started engine: a text-layer PDF never pays for tesseract workers. */
function lazyEngine(workers?: number): { get: () => Promise<OcrEngine>; close: () => Promise<void> } {
  let engine: Promise<OcrEngine> | null = null;
  return {
    get: () => {
      engine ??= (async () => {
        const [{ createOcrEngine }, { loadConfig }] = await Promise.all([import('../ocr/index.ts'), import('../config/index.ts')]);
        const { ocr } = loadConfig();
        return createOcrEngine({ workers: workers ?? (ocr.workers || undefined), recycleAfterPages: ocr.recycleAfterPages, pageSegMode: ocr.pageSegMode });
      })();
      return engine;
    },
    close: async () => { if (engine) await (await engine).close(); },
  };
}

/** The error object `parse` prints: the farm's code plus the precise reason (`pdf_encrypted`, …). */
function errorJson(error: unknown): { code: string; reason: string | null; message: string } {
  const d = describeError(error);
  const reason = typeof d.details?.reason === 'string' ? d.details.reason : null;
  return { code: d.code === 'internal' ? 'parse_error' : d.code, reason, message: d.message };
}

/** `parse document <file>`: prints the record, or calls `fail` (exit 2) on a file it cannot read. */
export async function parseDocumentCli(bytes: Buffer, fail: (code: string, message: string) => void): Promise<void> {
  const { parseDocumentFile } = await import('../ocr/index.ts');
  const engine = lazyEngine();
  try {
    const record = await parseDocumentFile(bytes, { engine: engine.get });
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    const e = errorJson(error);
    fail(e.reason ?? e.code, e.message);
  } finally {
    await engine.close();
  }
}

/** Registers `konveyer ocr`. */
export function registerOcr(program: Command): void {
  const ocr = program.command('ocr').description('OCR workers: read PDFs and scans into text and FSSP document fields');
  ocr
    .command('work', { isDefault: true })
    .description('the OCR process role: serve the ocr.document queue (one tesseract.js engine) until SIGTERM')
    .option('--workers <n>', 'tesseract.js workers (default OCR_WORKERS; 0 there = one per core)', (v) => parsePositive(v, '--workers'))
    .option('--concurrency <n>', 'documents read at once (default workers + 1)', (v) => parsePositive(v, '--concurrency'))
    .addHelpText(
      'after',
      `
Only this role takes ocr.document jobs: \`konveyer robots\` never does (OCR is CPU-heavy and is
scaled on its own: docker compose service \`ocr\`, deploy/ocr.yaml). EPGU answers stored by
epgu.inbox are queued here (client key ocr:<document id>); each ends in \`documents\` with status
done (kind, text, confidence, fields) or failed with not_a_document, pdf_encrypted, pdf_broken or
image_broken — permanent, never retried, the rest of the batch goes on. Pages per worker before
the tesseract workers are replaced: OCR_RECYCLE_AFTER_PAGES (200); render DPI: OCR_RENDER_DPI.
SIGTERM: stop taking jobs, finish active ones within SHUTDOWN_DEADLINE_MS, then put them back.`,
    )
    .action(async (opts: { workers?: number; concurrency?: number }) => {
      const { loadConfigOrExit } = await import('./config-file.ts');
      const config = loadConfigOrExit();
      const [{ openFarm }, { startOcrWorker }, { createWebhookNotifier, webhookQueue }, { MongoRobotStore }, { armShutdownWatchdog, waitForShutdown }] = await Promise.all([
        import('../runtime/farm.ts'),
        import('../ocr/index.ts'),
        import('../queues/webhook.queue.ts'),
        import('../storage/robots.repo.ts'),
        import('../runtime/shutdown.ts'),
      ]);
      const farm = await openFarm(config, { role: 'ocr' });
      void import('../runtime/role-health.server.ts').then((h) => h.serveRoleHealth('ocr', farm));
      const webhooks = webhookQueue(farm.redis, farm.config.queue.prefix);
      let drained: () => void = () => undefined;
      const drainRequested = new Promise<'drain'>((r) => (drained = () => r('drain')));
      const worker = await startOcrWorker({
        config: farm.config,
        storage: farm.storage,
        log: farm.log.child({ role: 'ocr' }),
        robotId: farm.robotId,
        workers: opts.workers,
        concurrency: opts.concurrency,
        heartbeats: new MongoRobotStore(farm.storage.conn),
        onDrain: () => drained(),
        onFinished: createWebhookNotifier(webhooks),
      });
      const metricsServer = farm.config.ops.robotMetricsPort > 0 ? await (await import('./ops.ts')).serveRobotMetrics(farm.config) : null;
      const signal = await Promise.race([waitForShutdown(), drainRequested]);
      farm.log.info({ signal, deadlineMs: farm.config.ops.shutdownDeadlineMs }, 'OCR worker stopping: finishing active jobs');
      // The close is bounded by the deadline; the watchdog reports (exit 1) anything that still hangs.
      armShutdownWatchdog(farm.config.ops.shutdownDeadlineMs + 30_000, farm.log);
      await worker.close(farm.config.ops.shutdownDeadlineMs);
      await new Promise<void>((r) => (metricsServer ? metricsServer.close(() => r()) : r()));
      // Bounded: with Redis gone a close would wait for it (issue 13: SIGTERM bounded with Redis gone).
      const { within } = await import('../runtime/shutdown.ts');
      await within(webhooks.close(), 5000, 'webhook queue', farm.log);
      await within(farm.close(), 5000, 'farm services', farm.log);
      // Every job is finished or back on its queue and the tesseract workers terminated.
      process.exit(0);
    });
  ocr
    .command('read')
    .description('read documents (PDF or image), one JSON line per file; bad files give {file, error} and the batch goes on')
    .argument('<files...>', 'PDF or image files')
    .option('--workers <n>', 'tesseract workers (default: cores)', (v) => Number.parseInt(v, 10))
    .action(async (files: string[], opts: { workers?: number }) => {
      const { parseDocumentFile } = await import('../ocr/index.ts');
      const engine = lazyEngine(opts.workers);
      let failed = 0;
      try {
        await Promise.all(files.map(async (file) => {
          try {
            const record = await parseDocumentFile(await readFile(file), { engine: engine.get });
            process.stdout.write(`${JSON.stringify({ file, ...record })}\n`);
          } catch (error) {
            failed++;
            const e = errorJson(error);
            process.stdout.write(`${JSON.stringify({ file, error: { code: e.reason ?? e.code, message: e.message } })}\n`);
          }
        }));
      } finally {
        await engine.close();
      }
      if (failed) process.exitCode = 2;
    });
}
