import { BlockedError, KonveyerError, RateLimitedError, ServerChoiceError, ServerError } from '../../core/errors.ts';
import type { PageKind } from '../../core/records.ts';

/**
 * How long a robot waits after the anti-bruteforce answer «Информация временно недоступна» before it
 * asks again, ms. The page names no time («Попробуйте обратиться позже»); two minutes, then the
 * queue's backoff on later attempts.
 */
export const ANTI_BRUTEFORCE_RETRY_MS = 120_000;

/** Where the page came from and what it offered, for the error's message and details. */
export interface PageKindErrorContext {
  url?: string | null;
  evidenceId?: string;
  /** What the step expected, e.g. «a case card». */
  expected: string;
  /** Server links of a «Выберите сервер» landing. */
  servers?: ReadonlyArray<{ srvNum: number; url: string }>;
}

/**
 * The typed error for a page that is a known non-record kind — retryable (rate_limited, geo_block,
 * maintenance) or `server_choice` — or null for kinds that need their own handling (captcha) or
 * that nobody recognises (layout drift, which the caller raises naming what was missing).
 */
export function errorForPageKind(kind: PageKind, ctx: PageKindErrorContext): KonveyerError | null {
  const url = ctx.url ?? undefined;
  const details = ctx.evidenceId ? { evidenceId: ctx.evidenceId } : {};
  switch (kind) {
    case 'rate_limited':
      return new RateLimitedError(`anti-bruteforce answer «Информация временно недоступна» instead of ${ctx.expected}`, ANTI_BRUTEFORCE_RETRY_MS, { url, details });
    case 'geo_block':
      return new BlockedError(`geo-block page instead of ${ctx.expected}`, { url, details });
    case 'maintenance':
      return new ServerError(`maintenance page instead of ${ctx.expected}`, { url, details });
    case 'server_choice': {
      const servers = ctx.servers ?? [];
      const list = servers.map((s) => `srv_num=${s.srvNum}`).join(', ') || 'no server links';
      return new ServerChoiceError(`server-choice landing «Выберите сервер» (${list}) instead of ${ctx.expected}: open a server's link`, { url, details: { ...details, servers } });
    }
    default:
      return null;
  }
}
