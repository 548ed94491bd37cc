/**
 * The `court.case` robot for St Petersburg magistrates on mirsud.spb.ru (TARGETS.md §2.2). Always in
 * a browser: the card page arrives empty and its script fetches the data (a background task polled
 * until finished; the API refuses calls without the page's XHR headers). The robot waits for the
 * print table (`div.case-print b.table-title`) up to the configured timeout — not for network idle,
 * which fires between two polls — then reads the print form.
 */
import { LayoutDriftError, TimeoutError } from '../../core/errors.ts';
import { classifyMirsudPage, parseMirsudCaseCard, PARSER_VERSION } from '../../parsers/index.ts';
import type { CourtCaseInput } from '../../queues/court-case.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
import type { RobotServices } from '../runtime/robot-services.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-mirsud-spb';
export const MIRSUD_HOST = 'mirsud.spb.ru';
/** What ends the wait: the print form's titles, or the portal's honest «не найдены» table. */
export const MIRSUD_READY_SELECTOR = 'div.case-print b.table-title, div.case-print table.rwd-table';

/** The card URL path of a case: `/cases/detail/<участок>/?id=<urlencoded number>`. */
export function mirsudCardPath(section: string, number: string): string {
  return `/cases/detail/${encodeURIComponent(section)}/?id=${encodeURIComponent(number)}`;
}

/** Runs one lookup: open the card, wait for the print form, parse and upsert it. */
export async function runMirsudCaseLookup(services: RobotServices, ctx: HandlerContext<'court.case'>): Promise<HandlerResult> {
  const input = ctx.input as CourtCaseInput;
  const log = ctx.log.child({ target: TARGET, mode: 'browser' });
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  const deps = { router: services.router, politeness: services.politeness, evidence };
  const url = services.router.urlFor(MIRSUD_HOST, mirsudCardPath(input.section ?? '', input.number ?? ''));
  return services.browsers().withPage(async (page) => {
    const fetcher = new BrowserPageFetcher(page, deps, services.browserFetch);
    const card = await fetcher.open(url, 'case-card', { waitFor: { selector: MIRSUD_READY_SELECTOR, timeoutMs: services.browserFetch.timeoutMs } });
    const kind = classifyMirsudPage(card.html);
    if (kind === 'search_empty') return { status: 'not_found', result: null, evidenceCount: evidence.recorded };
    if (kind !== 'case_card') {
      // Still the shell: the task never finished in time (retry); anything else is a page we do not know.
      if (/id="case-app"/.test(card.html) && !/case-print/.test(card.html)) {
        throw new TimeoutError('mirsud: the print form did not appear in time', { target: MIRSUD_HOST, url: card.url, details: { evidenceId: card.evidenceId } });
      }
      throw new LayoutDriftError(`mirsud: expected a case card, got a page of kind ${kind}`, { url: card.url, selector: MIRSUD_READY_SELECTOR, evidenceId: card.evidenceId });
    }
    let record;
    try {
      record = parseMirsudCaseCard(card.html, { url: card.url, fetchedAt: new Date().toISOString() });
    } catch (error) {
      if (error instanceof LayoutDriftError) error.evidenceId = card.evidenceId;
      throw error;
    }
    const saved = await services.courtCases.save(record, { url: card.url, fetchedAt: new Date(), evidenceId: card.evidenceId, parserVersion: PARSER_VERSION, lookupId: ctx.lookupId });
    log.info({ caseKey: saved.id, created: saved.created, changes: saved.changes.length }, 'court case saved');
    return { status: 'succeeded', result: { collection: 'court_cases', id: saved.id, changed: saved.created || saved.changes.length > 0 }, evidenceCount: evidence.recorded };
  });
}
