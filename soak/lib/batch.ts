/**
 * Generated batches of court.case lookups over the sandbox world (sudrf courts): the same case may
 * come up several times in one batch, so concurrent upserts of one natural key are exercised too.
 */
import type { SubmitRequest } from '../../queues/submit.ts';
import type { SandboxWorld } from '../../sandbox/data/world.types.ts';

/** Options of {@link courtCaseBatch}. */
export interface CourtCaseBatchOptions {
  /** Also look up by number on courts whose search is captcha-gated (OCR in the robot); default false. */
  withCaptcha?: boolean;
  /** Only cases of this court host (e.g. the drifted one); default all sudrf courts. */
  host?: string;
}

/**
 * `size` court.case requests cycling over the world's cases; the input kind rotates: case number
 * (search), UID (search), site ids (card directly). Captcha-gated searches only with `withCaptcha`.
 */
export function courtCaseBatch(world: SandboxWorld, size: number, options: CourtCaseBatchOptions = {}): SubmitRequest[] {
  const gated = new Set(world.courts.filter((c) => c.hasSearchCaptcha).map((c) => c.host));
  const cases = world.cases.filter((c) => !options.host || c.host === options.host);
  if (cases.length === 0) throw new Error(`the sandbox world has no case on ${options.host}`);
  const out: SubmitRequest[] = [];
  for (let i = 0; i < size; i++) {
    // A stride coprime with the case count spreads one batch over every court.
    const c = cases[(i * 7) % cases.length]!;
    const kind = i % 3;
    const canSearch = options.withCaptcha || !gated.has(c.host);
    const input =
      kind === 0 && canSearch ? { court: c.host, number: c.caseNumber }
      : kind === 1 && canSearch ? { court: c.host, uid: c.uid }
      : { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid };
    out.push({ type: 'court.case', input });
  }
  return out;
}
