/**
 * `konveyer ocr`: OCR workers. Today: `konveyer ocr read <file…>` reads documents (PDF or image)
 * in one process with one tesseract.js scheduler, one JSON line per file, a bad file does not stop
 * the batch. Also hosts `parse document` (called from cli/parse.ts).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeError } from '../core/errors.ts';
import type { OcrEngine } from '../ocr/index.ts';

/** Lazily started engine: a text-layer PDF never pays for tesseract workers. */
function lazyEngine(workers?: number): { get: () => Promise<OcrEngine>; close: () => Promise<void> } {
  let engine: Promise<OcrEngine> | null = null;
  return {
    get: () => {
      engine ??= (async () => {
        const [{ createOcrEngine }, { loadConfig }] = await Promise.all([import('../ocr/index.ts'), import('../config/index.ts')]);
        const { ocr } = loadConfig();
        return createOcrEngine({ workers: workers ?? (ocr.workers || undefined), recycleAfterPages: ocr.recycleAfterPages });
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
