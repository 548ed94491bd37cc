import { submitLookups } from '../queues/submit.ts';
import type { openFarm } from '../runtime/farm.ts';

/**
 * The demo's EPGU second half: moves the sandbox clock 30 days on (the bailiffs answer in up to
 * 12 working days), runs `epgu.inbox` for the demo account, and prints the requests answered,
 * the ones still open and how to export the answers.
 */
export async function runEpguInboxPhase(farm: Awaited<ReturnType<typeof openFarm>>, sandboxUrl: string, out: NodeJS.WritableStream): Promise<void> {
  const open = await farm.storage.epguRequests.listOpen({ account: 'totp' });
  if (open.length === 0) return;
  await fetch(`${sandboxUrl}/__sandbox/epgu/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 30 }) });
  const { lookups } = await submitLookups(
    { lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs } },
    [{ type: 'epgu.inbox', input: { account: 'totp' } }],
  );
  const id = lookups[0]!.id;
  const deadline = Date.now() + 300_000;
  let doc = await farm.storage.lookups.get(id);
  while (doc && !['succeeded', 'failed', 'not_found', 'needs_human'].includes(doc.status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    doc = await farm.storage.lookups.get(id);
  }
  const still = await farm.storage.epguRequests.listOpen({ account: 'totp' });
  const ocr = await waitForOcr(farm, deadline);
  out.write(
    `EPGU: ${open.length} applications sent, 30 sandbox days later ${open.length - still.length} answered (${doc?.result?.count ?? 0} documents, inbox ${doc?.status}); ` +
      `OCR: ${ocr.done} read (${ocr.scanned} scanned), ${ocr.failed} failed, ${ocr.waiting} still waiting; ` +
      `export: npx konveyer export epgu --format xlsx --out answers.xlsx; late ones: npx konveyer epgu overdue\n`,
  );
}

/** Waits (until `deadline`) for the OCR role to read the EPGU answers; counts them by outcome. */
async function waitForOcr(farm: Awaited<ReturnType<typeof openFarm>>, deadline: number): Promise<{ done: number; scanned: number; failed: number; waiting: number }> {
  for (;;) {
    const docs = await farm.storage.documents.listReceived({ origin: 'epgu' });
    const waiting = docs.filter((d) => d.status === 'ocr_queued' || d.status === 'pending_ocr').length;
    if (waiting === 0 || Date.now() > deadline) {
      const done = docs.filter((d) => d.status === 'done');
      return { done: done.length, scanned: done.filter((d) => d.ocr).length, failed: docs.filter((d) => d.status === 'failed').length, waiting };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
