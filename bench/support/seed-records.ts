/**
 * Records written straight into a benchmark's database (not through robots), shaped as the farm
 * writes them: `lookups` (storage/lookups.repo.ts insertMany + markFinished), `court_cases`
 * (storage/court-cases.repo.ts saveLocked, with `clientIds` as markFinished adds them) and, when
 * asked, one `evidence` item and its `evidence_manifests` seal per succeeded lookup
 * (storage/evidence.store.ts append + seal; the bodies themselves are not written).
 *
 * Deterministic layout, so a reader can find records again without keeping them all in memory:
 * lookup j → client `clientOf(j)`, batch `batchIds[j % batches]`, status `SEED_STATUSES[j % 5]`,
 * court case `seededCaseId(⌊j / lookupsPerCase⌋)`. Written in rounds (the cases of a round's
 * lookups with them), so a seed cut short by its deadline is still consistent. Collections are filled
 * after openStorage created their indexes, so every insert pays for the indexes as the farm's own
 * writes do.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Storage } from '../../storage/index.ts';

/** The database connection the farm's stores share. */
type Connection = Storage['conn'];

/** Statuses in turn: 3 of 5 lookups succeeded (and reached a court case). */
export const SEED_STATUSES = ['succeeded', 'succeeded', 'succeeded', 'not_found', 'failed'] as const;

/** Options of {@link seedRecords}. */
export interface SeedOptions {
  lookups: number;
  /** Lookups per court case (lookups 2c, 2c + 1 reach case c by default): court cases = lookups / this. */
  lookupsPerCase?: number;
  /** Batches the lookups are spread over; default 100. */
  batches?: number;
  /** Client of lookup j; default `acme` (9 in 10) and `other`. */
  clientOf?: (j: number) => string;
  /** One evidence item and one manifest per succeeded lookup. Default false. */
  evidence?: boolean;
  /** Lookups per round of insertMany calls (each collection gets its share); default 1000. */
  batchSize?: number;
  /** Stop at the first round of inserts that starts after this `performance.now()`; the result says how many were written. */
  deadlineMs?: number;
  /** Called with every lookup id as it is generated (e.g. to keep some for reads). */
  onLookup?: (id: string, j: number) => void;
  /** Called after every round of inserts with the lookups written so far. */
  onProgress?: (lookups: number) => void;
}

/** What was written and how long it took. */
export interface SeedResult {
  batchIds: string[];
  /** Lookups written (fewer than asked when the deadline came first). */
  lookups: number;
  cases: number;
  /** Documents written per collection. */
  written: Record<string, number>;
  secs: number;
}

export const defaultClientOf = (j: number): string => (j % 10 === 9 ? 'other' : 'acme');
/** The `_id` of generated court case c, as courtCaseKey writes it (`<host>:id:<caseId>`) on hosts the sandbox has none of. */
export const seededCaseId = (c: number): string => `seed${c % 40}--spb.sudrf.ru:id:${c}`;
const isSucceeded = (j: number): boolean => SEED_STATUSES[j % SEED_STATUSES.length] === 'succeeded';

/** The clients whose succeeded lookups reached court case c, as its `clientIds` holds them. */
export function seededClientsOfCase(c: number, lookups: number, lookupsPerCase = 2, clientOf: (j: number) => string = defaultClientOf): string[] {
  const clientIds = new Set<string>();
  for (let j = c * lookupsPerCase; j < Math.min(lookups, (c + 1) * lookupsPerCase); j++) if (isSucceeded(j)) clientIds.add(clientOf(j));
  return [...clientIds];
}

/** Writes the records; see the module comment for their layout. */
export async function seedRecords(conn: Connection, options: SeedOptions): Promise<SeedResult> {
  const perCase = Math.max(1, options.lookupsPerCase ?? 2);
  // A whole number of cases per round, so a round writes its cases complete.
  const batchSize = Math.max(perCase, Math.floor((options.batchSize ?? 1000) / perCase) * perCase);
  const clientOf = options.clientOf ?? defaultClientOf;
  const batchIds = Array.from({ length: options.batches ?? 100 }, () => randomUUID());
  const written: Record<string, number> = { court_cases: 0, lookups: 0, evidence: 0, evidence_manifests: 0 };
  const started = performance.now();
  const insert = async (collection: string, docs: unknown[]): Promise<void> => {
    if (docs.length === 0) return;
    await conn.collection(collection).insertMany(docs as never[], { ordered: false });
    written[collection]! += docs.length;
  };
  let lookups = 0;
  for (let i = 0; i < options.lookups; i += batchSize) {
    if (options.deadlineMs !== undefined && performance.now() > options.deadlineMs) break;
    const end = Math.min(options.lookups, i + batchSize);
    const cases = [];
    for (let c = i / perCase; c < Math.ceil(end / perCase); c++) cases.push(courtCaseDoc(c, seededClientsOfCase(c, end, perCase, clientOf)));
    const docs = [];
    const items = [];
    const manifests = [];
    for (let j = i; j < end; j++) {
      const _id = randomUUID();
      options.onLookup?.(_id, j);
      const status = SEED_STATUSES[j % SEED_STATUSES.length]!;
      const at = new Date(Date.UTC(2026, 0, 1) + j * 1000);
      const ok = status === 'succeeded';
      const c = Math.floor(j / perCase);
      docs.push({
        _id, type: 'court.case', status, input: { court: `seed${c % 40}--spb.sudrf.ru`, caseId: String(c) }, clientId: clientOf(j),
        batchId: batchIds[j % batchIds.length], attempts: 1, error: status === 'failed' ? { code: 'NETWORK', kind: 'retryable', message: 'connect ECONNREFUSED' } : null,
        result: ok ? { collection: 'court_cases', id: seededCaseId(c), changed: true } : null, evidenceCount: ok ? 1 : 0, robot: 'court.case',
        createdAt: at, updatedAt: at, startedAt: at, finishedAt: at,
      });
      if (ok && options.evidence) {
        const item = { _id: randomUUID(), jobId: _id, lookupId: _id, robot: 'court.case', step: 'card', kind: 'http_response', url: `http://seed.sudrf.ru/modules.php?case_id=${c}`, contentType: 'text/html; charset=windows-1251', at, meta: { status: 200 }, seq: 1, sha256: hex(`body ${j}`), size: 14_000, prevHash: null, hash: hex(`link ${j}`) };
        items.push(item);
        manifests.push({ _id: `${_id}:1`, jobId: _id, lookupId: _id, itemCount: 1, itemHashes: [item.hash], headHash: item.hash, manifestHash: hex(`${item.hash}\n`), sealedAt: at, keyId: null, signature: null, sealedBy: 'seed' });
      }
    }
    await insert('court_cases', cases);
    await insert('lookups', docs);
    await insert('evidence', items);
    await insert('evidence_manifests', manifests);
    lookups = end;
    options.onProgress?.(lookups);
  }
  return { batchIds, lookups, cases: written.court_cases!, written, secs: (performance.now() - started) / 1000 };
}

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A court case as saveLocked first inserts it, with its clients. */
function courtCaseDoc(c: number, clientIds: string[]): Record<string, unknown> {
  const at = new Date(Date.UTC(2026, 0, 1) + c * 1000);
  const host = `seed${c % 40}--spb.sudrf.ru`;
  return {
    _id: seededCaseId(c), clientIds, schemaVersion: 1, court: { host, name: 'Районный суд', code: null }, caseNumber: `2-${c}/2026`, materialNumber: null, previousNumbers: [],
    uid: `78RS00${String(c).padStart(8, '0')}-00`, caseId: String(c), caseUid: randomUUID(), instance: 'first', category: 'Иски о взыскании задолженности', judge: 'Иванова И. И.',
    registeredAt: '2026-01-10', decision: { date: null, result: null }, effectiveAt: null, effectiveAtSource: null, effectiveAtRule: null, status: c % 3 ? 'accepted' : 'decided',
    parties: [{ role: 'истец', roleNorm: 'plaintiff', name: 'ООО «Управляющая компания»' }, { role: 'ответчик', roleNorm: 'defendant', name: `Должник ${c}` }],
    events: Array.from({ length: 6 }, (_, k) => ({ date: `2026-01-${String(k + 1).padStart(2, '0')}`, time: null, name: `Событие ${k}`, result: null })),
    executionDocuments: [], template: 'sudrf-v1', source: { url: `http://${host}/modules.php?case_id=${c}`, fetchedAt: at, evidenceId: null, parserVersion: 'seed', lookupId: null },
    history: [{ at, lookupId: null, evidenceId: null, changes: [{ field: 'created', from: null, to: c % 3 ? 'accepted' : 'decided' }] }], rev: 1, firstSeenAt: at, checkedAt: at,
  };
}
