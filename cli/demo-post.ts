import type { SubmitRequest } from '../queues/submit.ts';
import type { SandboxWorld } from '../sandbox/data/index.ts';
import { deriveLetters } from '../sandbox/post-tracking/post-tracking.data.ts';

/** The sandbox's tracking account, used by `konveyer demo` unless POST_TRACKING_ACCOUNTS is set. */
export const SANDBOX_POST_ACCOUNT = { id: 'sandbox', login: 'konveyer-demo', password: 'demo-password' } as const;

/**
 * One `post.tracking` batch lookup (batch access) for the letters of the demo's court cases: each
 * application a creditor sent to the court, linked to the case it started, and the copies of court
 * orders sent to the debtors (linked by reference).
 */
export function buildPostDemoBatch(world: SandboxWorld, batch: readonly SubmitRequest[]): SubmitRequest[] {
  const byKey = new Map(world.cases.map((c) => [`${c.host}|${c.caseNumber}`, c]));
  const wanted = new Set<string>();
  for (const r of batch) {
    if (r.type !== 'court.case') continue;
    const input = r.input as { court?: string; number?: string; caseId?: string; uid?: string };
    const c = world.cases.find((x) => x.host === input.court && (x.caseNumber === input.number || String(x.caseId) === input.caseId || x.uid === input.uid));
    if (c) wanted.add(`${c.host}|${c.caseNumber}`);
  }
  const items = deriveLetters(world)
    .filter((l) => l.caseKey && wanted.has(l.caseKey) && l.kind !== 'document_to_osp')
    .slice(0, 3000)
    .map((l) => {
      const c = byKey.get(l.caseKey!)!;
      return l.kind === 'application_to_court'
        ? { barcode: l.barcode, for: `court-case:${c.courtCode}:id:${c.caseId}` }
        : { barcode: l.barcode, for: `ref:copy of the order ${c.caseNumber} to the debtor` };
    });
  return items.length ? [{ type: 'post.tracking', input: { items } }] : [];
}
