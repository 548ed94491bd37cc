/**
 * post.tracking end to end: real Redis, the real MongoDB-wire server, the tracking replica
 * (rtm34 SOAP 1.2, fc SOAP 1.1) — submit → queue → robot → `soap` client built from the served WSDL
 * → raw answer as evidence → parser → postal_items. Letters are scripted here by hand (operations,
 * dates, places), so every expected value below is read off this file, not off the sandbox's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDomesticCheckDigit } from '../../core/postal-identifiers.ts';
import { SubmitRejectedError } from '../../queues/submit.ts';
import type { SandboxLetter, SandboxOperation } from '../../sandbox/post-tracking/post-tracking.data.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

const ACCOUNT = { id: 'main', login: 'konveyer-demo', password: 'demo-password' };
let farm: TestFarm;

async function admin(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${farm.sandbox.url}/__sandbox/post-tracking/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return res.json();
}

const op = (type: number, attr: number, local: string, index = '450077', place = 'Уфа 77'): SandboxOperation => ({ type, attr, local, offset: '+05:00', index, place });
/** A letter from a creditor to a court: accepted, sorted, arrived, one failed attempt, delivered on `delivered`. */
function letter(barcode: string, delivered: string, extra: Partial<SandboxLetter> = {}): SandboxLetter {
  return {
    barcode, kind: 'scripted', caseKey: null, ipNumber: null, sender: 'ООО УК ЖИЛКОМФОРТ', recipient: 'СУДЕБНЫЙ УЧАСТОК № 3', mailType: 'Письмо', mailCategory: 'Заказное',
    operations: [
      op(1, 1, '2026-02-16T10:05:00', '450083', 'Уфа 83'),
      op(8, 3, '2026-02-17T04:10:00', '450960', 'Сортировочный центр'),
      op(8, 2, '2026-02-18T08:30:00'),
      op(12, 1, '2026-02-18T15:00:00'),
      op(2, 1, `${delivered}T11:20:00`),
    ],
    ...extra,
  };
}

beforeAll(async () => {
  farm = await startTestFarm({
    name: 'post',
    env: {
      POST_TRACKING_ACCOUNTS: JSON.stringify([ACCOUNT]),
      POST_TRACKING_BATCH_MIN: '5',
      POST_TRACKING_TICKET_POLL_MS: '400',
      POST_TRACKING_DAILY_LIMIT: '1000',
      JOB_ATTEMPTS: '2',
    },
    waitMs: 60_000,
  });
  await admin('settings', { ticketReadyMs: 1500, truncateNext: 0 });
});

afterAll(async () => {
  await farm?.close();
});

describe('single access', () => {
  it('tracks a letter to a court: operations, state, dates, sender and recipient, evidence, and the term its delivery starts', async () => {
    const barcode = '14102192069353';
    await admin('letters', letter(barcode, '2026-02-19'));
    const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { barcode, for: 'court-case:ufa-3|2-101/2026' } }]);
    expect(l!.status, JSON.stringify(l!.error)).toBe('succeeded');
    expect(l!.result).toMatchObject({ collection: 'postal_items', id: barcode, count: 1 });
    expect(l!.evidenceCount).toBe(1);
    const doc = (await farm.storage.postalItems.get(barcode))!;
    expect(doc).toMatchObject({
      state: 'delivered', final: true, acceptedAt: '2026-02-16T10:05:00.000+05:00', deliveredAt: '2026-02-19T11:20:00.000+05:00',
      sender: 'ООО УК ЖИЛКОМФОРТ', recipient: 'СУДЕБНЫЙ УЧАСТОК № 3', links: [{ kind: 'court-case', id: 'ufa-3|2-101/2026' }],
    });
    expect(doc.operations.map((o) => `${o.type.id}.${o.attr.id} ${o.type.name} / ${o.attr.name}`)).toEqual([
      '1.1 Прием / Единичный', '8.3 Обработка / Прибыло в сортировочный центр', '8.2 Обработка / Прибыло в место вручения',
      '12.1 Неудачная попытка вручения / Временное отсутствие адресата', '2.1 Вручение / Вручение адресату',
    ]);
    expect(doc.operations[4]).toMatchObject({ index: '450077', place: 'Уфа 77' });
    // Received Thu 19.02.2026; 23.02 is a holiday: five working days end Fri 27.02, not Thu 26.02.
    expect(doc.deadlines).toEqual([expect.objectContaining({ kind: 'court-case', id: 'ufa-3|2-101/2026', event: 'order_issued', from: '2026-02-19', due: '2026-02-27' })]);
    expect(doc.check.nextAt).toBeNull();
    expect(doc.source.evidenceId).toBeTruthy();
    expect(doc.history.map((h) => h.event)).toEqual(['tracked', 'delivered']);
  });

  it('a letter still on its way is kept not final with its next check; a later check records what changed', async () => {
    const barcode = withDomesticCheckDigit('4500831234567');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await admin('letters', letter(barcode, tomorrow));
    const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { barcode, for: 'ip:102021/20/02003-ИП' } }]);
    expect(l!.status).toBe('succeeded');
    const first = (await farm.storage.postalItems.get(barcode))!;
    expect(first).toMatchObject({ state: 'delivery_failed', final: false, deliveredAt: null, deadlines: [] });
    expect(first.check.nextAt!.getTime()).toBeGreaterThan(Date.now());
    // The delivery is moved into the past: the next check sees it.
    await admin('letters', letter(barcode, '2026-02-19'));
    await farm.submitAndWait([{ type: 'post.tracking', input: { barcode } }]);
    const second = (await farm.storage.postalItems.get(barcode))!;
    expect(second).toMatchObject({ state: 'delivered', final: true, links: [{ kind: 'ip', id: '102021/20/02003-ИП' }] });
    // ИП: 19.02 + 3 working days (25.02) + 3 (02.03).
    expect(second.deadlines).toEqual([expect.objectContaining({ kind: 'ip', stepDue: '2026-02-25', due: '2026-03-02' })]);
    expect(second.history.map((h) => h.event)).toEqual(['tracked', 'operations', 'state_changed', 'delivered']);
  });

  it('a return after the storage term: returning with the reason, then returned to the sender (final)', async () => {
    const barcode = '11741865001806';
    await admin('letters', {
      ...letter(barcode, '2026-02-19'),
      operations: [op(1, 1, '2026-01-12T10:00:00', '450083', 'Уфа 83'), op(8, 2, '2026-01-14T08:30:00'), op(3, 1, '2026-02-13T09:00:00'), op(2, 2, '2026-02-17T12:00:00', '450083', 'Уфа 83')],
    });
    const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { barcode } }]);
    expect(l!.status).toBe('succeeded');
    expect(await farm.storage.postalItems.get(barcode)).toMatchObject({ state: 'returned', final: true, deliveredAt: null, returnedAt: '2026-02-13T09:00:00.000+05:00', returnReason: 'Истек срок хранения' });
  });

  it('an unknown identifier ends not_found (OperationHistoryFault)', async () => {
    const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { barcode: withDomesticCheckDigit('1010101010101') } }]);
    expect(l!.status).toBe('not_found');
  });

  it('a broken (truncated) XML answer fails layout_drift with the evidence of the answer', async () => {
    const barcode = withDomesticCheckDigit('4500839999999');
    await admin('letters', letter(barcode, '2026-02-19'));
    await admin('settings', { truncateNext: 1 });
    const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { barcode } }]);
    expect(l!.status).toBe('failed');
    expect(l!.error).toMatchObject({ code: 'layout_drift' });
    expect(l!.error!.details?.evidenceId).toBeTruthy();
    expect(l!.error!.message).toMatch(/broken or truncated XML/);
    expect(await farm.storage.postalItems.get(barcode)).toBeNull();
  });
});

describe('batch access', () => {
  it('more than five letters go through getTicket; the answer not ready at first is asked for again; unknown ones are noted', async () => {
    const barcodes = Array.from({ length: 7 }, (_, i) => withDomesticCheckDigit(`450083260${String(i).padStart(4, '0')}`));
    for (const [i, b] of barcodes.entries()) await admin('letters', letter(b, i % 2 ? '2026-02-19' : '2026-02-20'));
    const unknown = withDomesticCheckDigit('4500832609999');
    const before = (await admin('stats')) as { tickets: number; batchItems: number };
    const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { items: [...barcodes.map((barcode) => ({ barcode, for: `ref:batch ${barcode}` })), { barcode: unknown }] } }]);
    expect(l!.status, JSON.stringify(l!.error)).toBe('succeeded');
    expect(l!.result).toMatchObject({ count: 7, ids: barcodes });
    const after = (await admin('stats')) as { tickets: number; batchItems: number };
    expect(after.tickets - before.tickets).toBe(1);
    expect(after.batchItems - before.batchItems).toBe(8);
    // getTicket, then at least one «not ready» (error 6) before the answer, each kept as evidence of the lookup.
    const steps = (await farm.storage.evidence.listByJob(l!._id)).map((e) => e.step);
    expect(steps[0]).toBe('get-ticket');
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.slice(1)).toEqual(steps.slice(1).map((_, i) => `answer-by-ticket-${i + 1}`));
    const doc = (await farm.storage.postalItems.get(barcodes[1]!))!;
    // Batch answers give local times without an offset.
    expect(doc).toMatchObject({ state: 'delivered', deliveredAt: '2026-02-19T11:20:00', acceptedAt: '2026-02-16T10:05:00', links: [{ kind: 'ref', id: `batch ${barcodes[1]}` }] });
    expect(doc.operations[3]).toEqual({ type: { id: 12, name: 'Неудачная попытка вручения' }, attr: { id: 1, name: 'Временное отсутствие адресата' }, date: '2026-02-18T15:00:00', index: '450077', place: null });
    expect(await farm.storage.postalItems.get(unknown)).toBeNull();
  });
});

describe('bad input and faults', () => {
  it('refuses both identifier kinds with a bad check digit at submit, naming the field', async () => {
    const err = await farm.submit([
      { type: 'post.tracking', input: { barcode: '14102192069354' } },
      { type: 'post.tracking', input: { barcode: 'RS253346198NL' } },
      { type: 'post.tracking', input: { items: [{ barcode: 'RS253346199NL' }, { barcode: 'RA644000001RU' }] } },
      { type: 'post.tracking', input: { barcode: 'RS253346199NL', for: 'ip:12345' } },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitRejectedError);
    const rows = (err as SubmitRejectedError).rows;
    expect(rows.map((r) => r.errors.join('; '))).toEqual([
      'barcode: wrong check digit in domestic identifier 14102192069354: expected 3, got 4',
      'barcode: wrong check digit in S10 identifier RS253346198NL: expected 9, got 8',
      'items.1.barcode: wrong check digit in S10 identifier RA644000001RU: expected 5, got 1',
      expect.stringMatching(/^for: malformed ИП number/),
    ]);
  });

  it('a bad login fails auth_required (AuthorizationFault), without retries', async () => {
    await admin('settings', { accounts: { 'konveyer-demo': 'changed-password' } });
    try {
      const [l] = await farm.submitAndWait([{ type: 'post.tracking', input: { barcode: '14102192069353' } }]);
      expect(l!.status).toBe('failed');
      expect(l!.error).toMatchObject({ code: 'auth_required' });
      expect(l!.attempts).toBe(1);
    } finally {
      await admin('settings', { accounts: { 'konveyer-demo': 'demo-password' } });
    }
  });
});
