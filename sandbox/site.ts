/**
 * The contract between the sandbox server and each replica ("site"). The server parses the
 * request, applies faults, records statistics and routes by Host header to the first site whose
 * `matches` accepts it; a site answers with status, headers and bytes.
 */
import type { SandboxWorld } from './data/world.types.ts';
import type { CaptchaLedger } from './captcha-ledger.ts';
import type { FaultBoard } from './sandbox-state.ts';

/** What the site answers; the server adds faults and writes it out. */
export interface SiteResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request as a site sees it. */
export interface SiteRequest {
  method: string;
  /** Host header without port, lower case. */
  vhost: string;
  path: string;
  /** The undecoded query string, without `?`. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request body (POST forms, JSON). */
  body: Buffer;
}

/** Shared state every site may read. */
export interface SandboxContext {
  world: SandboxWorld;
  faults: FaultBoard;
  /** The sandbox clock (ms); tests may replace it. */
  now(): number;
  /** Captcha pictures sent with their answers (the rucaptcha replica reads them back); the server always sets it. */
  captchaLedger?: CaptchaLedger;
}

/** A replica of one target portal. */
export interface SandboxSite {
  /** Target slug (`court-sudrf`, `fssp`, …). */
  name: string;
  matches(vhost: string): boolean;
  handle(req: SiteRequest): Promise<SiteResponse>;
  /** Admin JSON for `GET /__sandbox/<name>/…` (optional): test helpers such as captcha answers. */
  admin?(path: string, req: SiteRequest): Promise<SiteResponse | null>;
}

/** Builds a site from the shared context; registered in sandbox/sites.ts. */
export type SiteFactory = (ctx: SandboxContext) => SandboxSite;

export function jsonResponse(status: number, value: unknown): SiteResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(value)) };
}
