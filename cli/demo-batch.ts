import type { SubmitRequest } from '../queues/submit.ts';
import type { SandboxWorld } from '../sandbox/data/index.ts';
import { FsspBank } from '../sandbox/fssp/fssp.data.ts';
import { EPGU_REQUEST_KINDS } from '../core/epgu-kinds.ts';

export interface DemoBatchOptions {
  size: number;
  /** Share (0..1) of lookups run in browser mode. */
  browserShare: number;
  seed: number;
}

/**
 * A batch like an agency's daily one, drawn from the sandbox world: most lookups by case number,
 * some by UID, some by the site's ids, and a few numbers no court has (they end `not_found`).
 */
export function buildDemoBatch(world: SandboxWorld, options: DemoBatchOptions): SubmitRequest[] {
  let state = options.seed >>> 0 || 1;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const cases = world.cases;
  const out: SubmitRequest[] = [];
  for (let i = 0; i < options.size; i++) {
    const c = cases[Math.floor(rand() * cases.length)]!;
    const mode = rand() < options.browserShare ? { mode: 'browser' as const } : {};
    const r = rand();
    let input: Record<string, unknown>;
    if (r < 0.05) input = { court: c.host, number: `2-${90000 + i}/2019` };
    else if (r < 0.2 && c.uid) input = { court: c.host, uid: c.uid };
    else if (r < 0.3) input = { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid };
    else input = { court: c.host, number: c.caseNumber };
    out.push({ type: 'court.case', input: { ...input, ...mode } });
  }
  return out;
}

/**
 * FSSP lookups for the generated debtors (issue 3): mostly person searches (ФИО + birth date + the
 * debtor's region), some by the court order's case number as executive document, and a few people
 * the bank does not know (they end `not_found`). Debtors with court orders have proceedings there.
 */
export function buildFsspDemoBatch(world: SandboxWorld, options: { size: number; seed: number }): SubmitRequest[] {
  let state = (options.seed ^ 0x5f5f) >>> 0 || 1;
  const rand = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const orders = world.cases.filter((c) => c.kind === 'court_order' && c.decision.date);
  const debtors = new Map(world.debtors.map((d) => [d.id, d]));
  const courts = new Map(world.courts.map((c) => [c.host, c]));
  const out: SubmitRequest[] = [];
  for (let i = 0; i < options.size && orders.length > 0; i++) {
    const c = orders[Math.floor(rand() * orders.length)]!;
    const d = debtors.get(c.debtorId);
    const r = rand();
    if (r < 0.1 || !d) {
      out.push({ type: 'fssp.search', input: { kind: 'person', lastName: 'Несуществующий', firstName: 'Демо', birthDate: '1970-01-01', region: 'all' } });
    } else if (r < 0.35) {
      out.push({ type: 'fssp.search', input: { kind: 'document', number: c.caseNumber, type: '4', region: courts.get(c.host)?.regionCode ?? d.regionCode } });
    } else {
      out.push({ type: 'fssp.search', input: { kind: 'person', lastName: d.lastName, firstName: d.firstName, patronymic: d.middleName, birthDate: d.birthDate, region: d.regionCode } });
    }
  }
  return out;
}

/**
 * EPGU applications for the demo: `size` requests of the sandbox's TOTP account (account id
 * `totp` of sandboxEpguAccountsEnv) about proceedings of the FSSP bank, of varied kinds.
 */
export function buildEpguDemoBatch(world: SandboxWorld, options: { size: number; seed: number }): SubmitRequest[] {
  const ips = new FsspBank(world).proceedings.map((p) => p.ipNumber);
  const kinds = Object.keys(EPGU_REQUEST_KINDS);
  return Array.from({ length: Math.min(options.size, ips.length) }, (_, i) => ({
    type: 'epgu.request',
    input: { account: 'totp', ipNumber: ips[(i * 7 + options.seed) % ips.length]!, kind: kinds[i % kinds.length]!, text: 'Демонстрационное заявление' },
  }));
}
