import { LayoutDriftError } from '../../core/errors.ts';
import type { PageKind } from '../../core/records.ts';
import { errorForPageKind, readSudrfServerChoices } from '../../parsers/index.ts';
import type { FetchedPage } from './page-fetcher.ts';

/**
 * The error for a page that is not what a step expected. The anti-bruteforce answer is rate limited
 * (retried after ANTI_BRUTEFORCE_RETRY_MS), a block or maintenance page is retried, a server-choice
 * landing the step could not follow is `server_choice`; anything else is layout drift with the
 * page's evidence — never "not found".
 */
export function pageKindError(kind: PageKind, page: FetchedPage, expected: string): Error {
  const servers = kind === 'server_choice' ? readSudrfServerChoices(page.html, page.url) : undefined;
  return errorForPageKind(kind, { url: page.url, evidenceId: page.evidenceId, expected, servers })
    ?? driftAt(page, `expected ${expected}, got a page of kind ${kind}`);
}

/** Layout drift on `page`, pointing at its evidence (and the selector that missed, when known). */
export function driftAt(page: FetchedPage, message: string, selector?: string): LayoutDriftError {
  return new LayoutDriftError(message, { url: page.url, selector, evidenceId: page.evidenceId });
}

/** Runs a parser on `page`; a drift it reports is tagged with the evidence of the page it read. */
export function parseWithEvidence<T>(page: FetchedPage, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof LayoutDriftError) error.evidenceId = page.evidenceId;
    throw error;
  }
}
