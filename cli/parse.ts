import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeError } from '../core/errors.ts';
import { parsePostTracking, parserOfSavedPage, parseSavedPage, POST_TRACKING_PARSER } from '../parsers/index.ts';

const KINDS = ['court-case', 'court-search', 'fssp-search', 'document', 'post-tracking'] as const;
type Kind = (typeof KINDS)[number];

/**
 * `konveyer parse <kind> <file> [--url URL]`: one JSON document on stdout, exit 0, with the parser
 * that read it as `parser: { name, version }` (what robots stamp on records); on a page it
 * cannot read, `{ "error": { "code", "message" } }` on stdout and exit 2 (DESIGN.md §Contracts).
 */
export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse a saved page and print the normalized record as JSON, with the parser (name, version) that read it')
    .argument('<kind>', `page kind: ${KINDS.join(' | ')}`)
    .argument('<file>', 'saved page (any encoding the page declares)')
    .option('--url <url>', 'URL the page came from (gives the court host and ids)')
    .action(async (kind: string, file: string, opts: { url?: string }) => {
      const fail = (code: string, message: string) => {
        process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
        process.exitCode = 2;
      };
      if (!(KINDS as readonly string[]).includes(kind)) return fail('bad_input', `unknown kind "${kind}": expected one of ${KINDS.join(', ')}`);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        return fail('bad_input', `cannot read ${file}: ${(error as Error).message}`);
      }
      // document: a PDF or image, read by ocr/ (text layer first, OCR where a page has none).
      if (kind === 'document') {
        const { parseDocumentCli } = await import('./ocr.ts');
        return parseDocumentCli(bytes, fail);
      }
      if (kind === 'post-tracking') {
        // A saved SOAP answer of the tracking service: getOperationHistory, getTicket or getResponseByTicket.
        try {
          const answer = parsePostTracking(bytes.toString('utf8'));
          process.stdout.write(`${JSON.stringify({ ...answer, parser: POST_TRACKING_PARSER }, null, 2)}\n`);
        } catch (error) {
          const d = describeError(error);
          return fail(d.code === 'internal' ? 'parse_error' : d.code, d.message);
        }
        return;
      }
      try {
        const saved = kind as Exclude<Kind, 'document' | 'post-tracking'>;
        const record = parseSavedPage(saved, bytes, { url: opts.url ?? null });
        process.stdout.write(`${JSON.stringify({ ...record, parser: parserOfSavedPage(saved, opts.url) }, null, 2)}\n`);
      } catch (error) {
        const d = describeError(error);
        return fail(d.code === 'internal' ? 'parse_error' : d.code, d.message);
      }
    });
}
