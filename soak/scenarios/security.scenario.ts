/**
 * Security: (1) robots refuse every URL outside the configured target hosts — direct crafted URLs,
 * redirects from a target to internal addresses, and jobs put on the queue by hand with a crafted
 * court host; an "internal" HTTP server counts what reaches it (must be nothing). (2) No personal
 * data or secrets in the logs: a demo-like batch (court.case + fssp.search on the seeded debtors)
 * runs with debug logs to a file, which is then searched for every seeded debtor's name and birth
 * date, and for cookie / password values.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLogger } from '../../core/logger.ts';
import { HttpClient } from '../../robots/runtime/http-client.ts';
import { TargetRouter } from '../../robots/runtime/targets.ts';
import { startRobotPool } from '../../robots/pool.ts';
import { courtCaseBatch } from '../lib/batch.ts';
import { openReliabilityFarm, type FarmServices } from '../lib/farm.ts';

/** Options of {@link runSecurityScenario}. */
export interface SecurityOptions {
  services: FarmServices;
  /** court.case lookups of the logged batch; default 60. */
  courtLookups?: number;
  /** fssp.search lookups by person (name + birth date) of the logged batch; default 4. */
  fsspLookups?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Figures of a security run. */
export interface SecurityFigures {
  /** Crafted URLs and redirects tried against the HTTP client, and those not refused. */
  urlsTried: number;
  urlsNotRefused: string[];
  /** Jobs queued by hand with a crafted court host, and how they ended. */
  craftedJobs: number;
  craftedJobEnds: Record<string, number>;
  /** Requests the internal server received (must be 0). */
  internalHits: number;
  /** Log lines written by the batch, names and dates searched, and leaks found. */
  logLines: number;
  namesSearched: number;
  leaks: string[];
  loggedLookups: Record<string, number>;
}

/** Runs the security scenario and returns its figures. */
export async function runSecurityScenario(options: SecurityOptions): Promise<SecurityFigures> {
  const say = options.log ?? (() => undefined);
  let internalHits = 0;
  const internal = http.createServer((_req, res) => {
    internalHits++;
    res.end('internal secret');
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.1', () => r()));
  const internalPort = (internal.address() as AddressInfo).port;
  const internalUrl = `http://127.0.0.1:${internalPort}/secret`;
  // A "target" that redirects wherever the path says (a compromised or hostile site).
  const redirector = http.createServer((req, res) => {
    res.writeHead(302, { location: decodeURIComponent((req.url ?? '/').slice(1)) });
    res.end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
  const redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;

  const farm = await openReliabilityFarm({ services: options.services, name: 'security', env: { LOG_LEVEL: 'debug' } });
  const figures: SecurityFigures = { urlsTried: 0, urlsNotRefused: [], craftedJobs: 0, craftedJobEnds: {}, internalHits: 0, logLines: 0, namesSearched: 0, leaks: [], loggedLookups: {} };
  try {
    // (1a) The HTTP client, with one target host routed to the redirector.
    const target = 'sovetsky.bkr.sudrf.ru';
    const router = new TargetRouter({ hosts: [target], sandboxOrigin: redirectorUrl });
    const client = new HttpClient({ router, timeoutMs: 3000 });
    const crafted = [
      internalUrl, `http://localhost:${internalPort}/`, `http://[::1]:${internalPort}/`, `http://2130706433:${internalPort}/`, `http://0x7f.1:${internalPort}/`,
      'http://169.254.169.254/latest/meta-data/', 'file:///etc/passwd', `http://${target}.evil.example/`, `http://${target}@127.0.0.1:${internalPort}/`,
      `http://evil-${target}/`, `gopher://127.0.0.1:${internalPort}/`,
    ];
    // A target host on another port: in sandbox mode it resolves to the sandbox's address, so it
    // must not open any other port there (e.g. Redis on 127.0.0.1).
    const redirects = [internalUrl, `http://localhost:${internalPort}/`, 'http://169.254.169.254/', `http://${target}.evil.example/`, `http://[::1]:${internalPort}/`, `file:///etc/passwd`, `http://${target}:${internalPort}/secret`];
    const attempts = [...crafted, `http://${target}:${internalPort}/secret`, ...redirects.map((to) => router.urlFor(target, `/${encodeURIComponent(to)}`))];
    for (const url of attempts) {
      figures.urlsTried++;
      try {
        await client.session().request(url);
        figures.urlsNotRefused.push(url);
      } catch (error) {
        if ((error as { code?: string }).code !== 'forbidden_target') figures.urlsNotRefused.push(`${url} (${(error as Error).message})`);
      }
    }
    await client.close();

    // (1b) + (2): a robot pool with debug logs to a file; crafted jobs straight onto the queue.
    const logFile = join(farm.logDir, 'security-robot.log');
    const dest = pino.destination({ dest: logFile, sync: true });
    const log = createLogger({ level: 'debug', destination: dest });
    const pool = await startRobotPool({ config: farm.config, storage: farm.storage, log, robotId: 'security-robot', only: ['court.case', 'fssp.search'] });
    try {
      const craftedHosts = ['127.0.0.1', `127.0.0.1:${internalPort}`, 'localhost', '169.254.169.254', `${target}.evil.example`, `${target}@127.0.0.1`];
      const craftedIds: string[] = [];
      for (const [i, court] of craftedHosts.entries()) {
        const id = `crafted-${i}-${Date.now()}`;
        await farm.storage.lookups.model.collection.insertOne({ _id: id, type: 'court.case', status: 'queued', input: { court, caseId: '1', caseUid: 'x' }, attempts: 0, createdAt: new Date(), updatedAt: new Date() } as never);
        await farm.queueFor('court.case').add('court.case', { lookupId: id, input: { court, caseId: '1', caseUid: 'x' } } as never, { jobId: id, attempts: 2, backoff: { type: 'fixed', delay: 100 } });
        craftedIds.push(id);
      }
      figures.craftedJobs = craftedIds.length;
      const world = farm.sandbox.world;
      const persons = world.debtors.slice(0, options.fsspLookups ?? 4).map((d) => ({
        type: 'fssp.search',
        input: { kind: 'person', lastName: d.lastName, firstName: d.firstName, patronymic: d.middleName, birthDate: d.birthDate, region: d.regionCode },
      }));
      const ids = await farm.submit([...courtCaseBatch(world, options.courtLookups ?? 60), ...persons]);
      await farm.waitFinal([...ids, ...craftedIds], options.timeoutMs ?? 10 * 60_000);
      for (const d of await farm.lookups(craftedIds)) {
        const end = `${d.status}${d.error ? `:${d.error.code}` : ''}`;
        figures.craftedJobEnds[end] = (figures.craftedJobEnds[end] ?? 0) + 1;
      }
      for (const d of await farm.lookups(ids)) figures.loggedLookups[`${d.type}:${d.status}`] = (figures.loggedLookups[`${d.type}:${d.status}`] ?? 0) + 1;
    } finally {
      await pool.close();
      dest.flushSync();
    }
    figures.internalHits = internalHits;

    // (2) Search the log for every seeded debtor (name forms and birth date forms) and secrets.
    const text = readFileSync(logFile, 'utf8');
    figures.logLines = text.split('\n').filter(Boolean).length;
    const needles = new Set<string>();
    for (const d of farm.sandbox.world.debtors) {
      const [y, m, day] = (d.birthDate ?? '').split('-');
      for (const n of [d.fullName, `${d.lastName} ${d.firstName}`, d.birthDate, y ? `${day}.${m}.${y}` : '', d.address]) if (n && n.length > 5) needles.add(n);
    }
    figures.namesSearched = needles.size;
    for (const n of needles) if (text.includes(n)) figures.leaks.push(n.replace(/\p{L}/gu, '*'));
    for (const re of [/"cookie"\s*:\s*"(?!\[redacted\])/i, /set-cookie"\s*:\s*"(?!\[redacted\])/i, /"password"\s*:\s*"(?!\[redacted\])/i, /PHPSESSID=|JSESSIONID=|kvk_[A-Za-z0-9]/]) {
      if (re.test(text)) figures.leaks.push(`secret:${re.source.slice(0, 20)}`);
    }
    say(`security: ${figures.urlsTried} crafted URLs, ${figures.urlsNotRefused.length} not refused; crafted jobs ${JSON.stringify(figures.craftedJobEnds)}; internal hits ${internalHits}; ${figures.logLines} log lines, ${figures.namesSearched} names/dates searched, ${figures.leaks.length} leaks`);
    return figures;
  } finally {
    await farm.close();
    internal.closeAllConnections();
    redirector.closeAllConnections();
    await new Promise((r) => internal.close(r));
    await new Promise((r) => redirector.close(r));
  }
}
