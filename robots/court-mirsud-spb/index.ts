/**
 * The `court.case` robot for St Petersburg magistrates on mirsud.spb.ru (TARGETS.md §2.2). Always in
 * a browser: the card page arrives empty and its script fetches the data (a background task polled
 * until finished; the API refuses calls without the page's XHR headers). The robot waits for the
 * print table (`div.case-print b.table-title`) up to the configured timeout — not for network idle,
 * which fires between two polls — then reads the print form.
 */
import { LayoutDriftError, TimeoutError } from '../../core/errors.ts';
import { courtPortalOf } from '../../core/identifiers.ts';
import { classifyMirsudPage, MIRSUD_SPB_PARSER, parseMirsudCaseCard } from '../../parsers/index.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';
import { defineRobot } from '../runtime/robot-definition.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-mirsud-spb';
export const MIRSUD_HOST = 'mirsud.spb.ru';
/** What ends the wait: the print form's titles, or the portal's honest «не найдены» table. */
export const MIRSUD_READY_SELECTOR = 'div.case-print b.table-title, div.case-print table.rwd-table';

/** The card URL path of a case: `/cases/detail/<участок>/?id=<urlencoded number>`. */
export function mirsudCardPath(section: string, number: string): string {
  return `/cases/detail/${encodeURIComponent(section)}/?id=${encodeURIComponent(number)}`;
}

/** The `court.case` robot for mirsud.spb.ru: open the card, wait for the print form, parse and upsert it. */
export const mirsudCaseRobot = defineRobot({
  job: 'court.case',
  target: TARGET,
  input: courtCaseInputSchema,
  modes: ['browser'],
  stores: ['court_cases'],
  parser: MIRSUD_SPB_PARSER,
  handles: (input) => courtPortalOf(input.court) === 'mirsud-spb',
  run: (ctx) => {
    const { services, input } = ctx;
    const url = services.router.urlFor(MIRSUD_HOST, mirsudCardPath(input.section ?? '', input.number ?? ''));
    return ctx.withBrowser(async (fetcher) => {
      const card = await fetcher.open(url, 'case-card', { waitFor: { selector: MIRSUD_READY_SELECTOR, timeoutMs: services.browserFetch.timeoutMs } });
      const kind = classifyMirsudPage(card.html);
      if (kind === 'search_empty') return null;
      if (kind !== 'case_card') {
        // Still the shell: the task never finished in time (retry); anything else is a page we do not know.
        if (/id="case-app"/.test(card.html) && !/case-print/.test(card.html)) {
          throw new TimeoutError('mirsud: the print form did not appear in time', { target: MIRSUD_HOST, url: card.url, details: { evidenceId: card.evidenceId } });
        }
        throw new LayoutDriftError(`mirsud: expected a case card, got a page of kind ${kind}`, { url: card.url, selector: MIRSUD_READY_SELECTOR, evidenceId: card.evidenceId });
      }
      const record = parseWithEvidence(card, () => parseMirsudCaseCard(card.html, { url: card.url, fetchedAt: card.fetchedAt.toISOString() }));
      const saved = await services.courtCases.save(record, ctx.sourceOf(card));
      ctx.log.info({ caseKey: saved.id, created: saved.created, changes: saved.changes.length }, 'court case saved');
      return { collection: 'court_cases', id: saved.id, changed: saved.created || saved.changes.length > 0 };
    });
  },
});
