/**
 * The parsers' public surface: pure functions from a saved or fetched page to a normalized record.
 * `parsePage` picks the parser family by host (sudrf, msudrf, mirsud.spb.ru, mos-sud.ru); to add a
 * portal, add a `PortalParsers` entry (with its own `parser` name and version) to `PORTALS`.
 */
import type { CourtCaseRecord, CourtSearchResult, PageKind, ParseContext } from '../core/records.ts';
import { decodeHtml } from './common/decode-html.ts';
import { parseSudrfCaseCard } from './sudrf/case-card.parser.ts';
import { classifySudrfPage, readSudrfServerChoices } from './sudrf/page-kind.ts';
import { errorForPageKind } from './common/page-kind-error.ts';
import { LayoutDriftError, NotFoundError } from '../core/errors.ts';
import { parseSudrfSearchResults } from './sudrf/search-results.parser.ts';
import { hostOf } from './sudrf/sudrf-url.ts';
import { classifyMirsudPage, parseMirsudCaseCard, parseMirsudSearchResults } from './mirsud-spb/index.ts';
import { classifyMosSudPage, parseMosSudCaseCard, parseMosSudSearchResults } from './mos-sud/index.ts';
import { parseMsudrfCaseCard } from './msudrf/case-card.parser.ts';
import { isMsudrfHost } from './msudrf/msudrf-url.ts';
import { classifyMsudrfPage } from './msudrf/page-kind.ts';
import { parseMsudrfSearchResults } from './msudrf/search-results.parser.ts';
import { FSSP_PARSER, parseFsspSearch } from './fssp/index.ts';
import { SUDRF_PARSER } from './sudrf/index.ts';
import { MSUDRF_PARSER } from './msudrf/index.ts';
import { MIRSUD_SPB_PARSER } from './mirsud-spb/index.ts';
import { MOS_SUD_PARSER } from './mos-sud/index.ts';
import type { ParserRef } from './common/parser-ref.ts';

export * from './common/index.ts';
export * from './sudrf/index.ts';
export * from './mirsud-spb/index.ts';
export * from './mos-sud/index.ts';
export * from './msudrf/index.ts';
export * from './fssp/index.ts';
export * from './document/index.ts';
export * from './post-tracking/index.ts';


/** Page kinds `parsePage` understands (the `konveyer parse` kinds of the courts). */
export type CourtPageKind = 'court-case' | 'court-search';

/** What `parsePage` needs besides the bytes: the parse context plus the Content-Type header. */
export type ParsePageContext = ParseContext & { contentType?: string | null };

/** The parsers of one court portal. */
export interface PortalParsers {
  name: string;
  /** Name and version of these parsers, stamped on every record they read (`source.parserVersion`). */
  parser: ParserRef;
  matches(host: string | null): boolean;
  caseCard(html: string, ctx: ParseContext): CourtCaseRecord;
  search(html: string, ctx: ParseContext): CourtSearchResult;
  classify(html: string): PageKind;
}

const SUDRF: PortalParsers = {
  name: 'sudrf',
  parser: SUDRF_PARSER,
  // Unknown hosts (no URL given) fall through to sudrf as well, see `portalFor`.
  matches: (host) => host === null || host === 'sudrf.ru' || host.endsWith('.sudrf.ru'),
  caseCard: parseSudrfCaseCard,
  search: parseSudrfSearchResults,
  classify: classifySudrfPage,
};

/** Magistrate courts on `<участок>.<region>.msudrf.ru` (layouts B and C, the kcaptcha gate). */
const MSUDRF: PortalParsers = {
  name: 'msudrf',
  parser: MSUDRF_PARSER,
  matches: isMsudrfHost,
  caseCard: parseMsudrfCaseCard,
  search: parseMsudrfSearchResults,
  classify: classifyMsudrfPage,
};

const MIRSUD_SPB: PortalParsers = {
  name: 'mirsud-spb',
  parser: MIRSUD_SPB_PARSER,
  matches: (host) => host === 'mirsud.spb.ru',
  caseCard: parseMirsudCaseCard,
  search: parseMirsudSearchResults,
  classify: classifyMirsudPage,
};

/** mos-sud.ru magistrates; mos-gorsud.ru cards share the croc markup. */
const MOS_SUD: PortalParsers = {
  name: 'mos-sud',
  parser: MOS_SUD_PARSER,
  matches: (host) => host === 'mos-sud.ru' || host === 'mos-gorsud.ru',
  caseCard: parseMosSudCaseCard,
  search: parseMosSudSearchResults,
  classify: classifyMosSudPage,
};

/** In match order; the last entry is the fallback. */
const PORTALS: readonly PortalParsers[] = [MSUDRF, MIRSUD_SPB, MOS_SUD, SUDRF];

/** The portal whose parsers read pages of this URL; sudrf for unknown hosts. */
export function portalFor(url?: string | null): PortalParsers {
  const host = hostOf(url);
  return PORTALS.find((p) => p.matches(host)) ?? SUDRF;
}

/**
 * Decodes `bytes` (charset rule in common/decode-html.ts) and parses them as `kind`.
 * @throws LayoutDriftError when the page is not a page of that kind.
 */
export function parsePage(kind: 'court-case', bytes: Buffer | Uint8Array, ctx?: ParsePageContext): CourtCaseRecord;
export function parsePage(kind: 'court-search', bytes: Buffer | Uint8Array, ctx?: ParsePageContext): CourtSearchResult;
export function parsePage(kind: CourtPageKind, bytes: Buffer | Uint8Array, ctx?: ParsePageContext): CourtCaseRecord | CourtSearchResult;
export function parsePage(kind: CourtPageKind, bytes: Buffer | Uint8Array, ctx: ParsePageContext = {}): CourtCaseRecord | CourtSearchResult {
  const { contentType, ...parseCtx } = ctx;
  const html = decodeHtml(bytes, contentType ?? undefined);
  const portal = portalFor(parseCtx.url);
  try {
    return kind === 'court-case' ? portal.caseCard(html, parseCtx) : portal.search(html, parseCtx);
  } catch (error) {
    // A page that is no record but a known kind (the anti-bruteforce answer, a block, maintenance,
    // a server-choice landing) gets that kind's error, not layout drift.
    if (!(error instanceof LayoutDriftError)) throw error;
    const pageKind = portal.classify(html);
    // An honest «Данных по запросу не обнаружено» where a card was asked for: nothing on this
    // server (robots go on to the next server before they call a case not found).
    if (pageKind === 'search_empty' && kind === 'court-case') {
      throw new NotFoundError('the site answers that it has no data for the request («Данных по запросу не обнаружено» or «Найдено дел: 0»), not a case card', { url: parseCtx.url ?? undefined });
    }
    const servers = pageKind === 'server_choice' ? readSudrfServerChoices(html, parseCtx.url) : undefined;
    throw errorForPageKind(pageKind, { url: parseCtx.url, expected: kind === 'court-case' ? 'a case card' : 'search results', servers }) ?? error;
  }
}

/** The page kinds of `konveyer parse` that read HTML or JSONP (a `document` goes to ocr/). */
export type SavedPageKind = CourtPageKind | 'fssp-search';

/**
 * What `konveyer parse <kind> <file> --url URL` prints for a saved page: the one path shared by the
 * CLI and the conformance suite (test/conformance/real-pages.conformance.test.ts), so the suite
 * checks exactly what a user gets.
 * @throws the typed error the CLI prints as `{ error: { code, message } }`.
 */
export function parseSavedPage(kind: SavedPageKind, bytes: Buffer | Uint8Array, ctx: ParsePageContext = {}): CourtCaseRecord | CourtSearchResult | ReturnType<typeof parseFsspSearch> {
  // fssp-search: JSONP (UTF-8 on the wire) or the decoded HTML fragment, see parsers/fssp.
  if (kind === 'fssp-search') return parseFsspSearch(decodeHtml(bytes, ctx.contentType ?? undefined), { url: ctx.url ?? null });
  return parsePage(kind, bytes, ctx);
}

/** The parser `parseSavedPage(kind, …, { url })` reads the page with: what `konveyer parse` prints as `parser`. */
export function parserOfSavedPage(kind: SavedPageKind, url?: string | null): ParserRef {
  return kind === 'fssp-search' ? FSSP_PARSER : portalFor(url).parser;
}

/** Decodes and classifies a page of any supported court portal. */
export function classifyPage(bytes: Buffer | Uint8Array, ctx: ParsePageContext = {}): PageKind {
  return portalFor(ctx.url).classify(decodeHtml(bytes, ctx.contentType ?? undefined));
}
