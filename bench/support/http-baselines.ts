/**
 * The two HTTP baselines, doing the page work of a card lookup and nothing else: fetch the card,
 * decode it (windows-1251), parse it with the farm's own parser. No queue, no database, no evidence.
 * Both connect to 127.0.0.1:<port> and name the court in the Host header, as the robots do.
 */
import { CheerioCrawler, Configuration, log as crawleeLog, Request } from 'crawlee';
import { Agent, request } from 'undici';
import { decodeHtml, parseSudrfCaseCard } from '../../parsers/index.ts';
import type { SandboxCase } from '../../sandbox/data/world.types.ts';
import { cardUrl, loopbackCardUrl } from './sandbox-process.ts';

/** Pages done, pages whose parsed UID was not the case's (wrong court or page), and wall time. */
export interface BaselineResult {
  pages: number;
  wrong: number;
  seconds: number;
}

/** Counts a parsed card as right only when it is the case asked for (so a wrong Host is caught). */
function check(c: SandboxCase, html: string, url: string): boolean {
  const record = parseSudrfCaseCard(html, { url, fetchedAt: new Date().toISOString() });
  return record.uid === c.uid;
}

/**
 * (a) A bare loop: `concurrency` async workers over the list with undici `request` on a keep-alive
 * agent, `decodeHtml` (iconv-lite) and `parseSudrfCaseCard` (cheerio).
 */
export async function runBareLoop(cases: SandboxCase[], port: number, concurrency: number): Promise<BaselineResult> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  let next = 0;
  let wrong = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const res = await request(loopbackCardUrl(c, port), { dispatcher: agent, headers: { host: `${c.host}:${port}` } });
      const body = Buffer.from(await res.body.arrayBuffer());
      const html = decodeHtml(body, String(res.headers['content-type'] ?? ''));
      if (res.statusCode !== 200 || !check(c, html, cardUrl(c, port))) wrong++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return { pages: cases.length, wrong, seconds };
}

/**
 * (b) Crawlee's CheerioCrawler (in-memory storage, fixed concurrency, `suggestResponseEncoding`
 * windows-1251), its handler running the same parser on the body it decoded. Crawlee also builds
 * its own DOM (`$`) for every page; that is part of what it costs.
 */
export async function runCheerioCrawler(cases: SandboxCase[], port: number, concurrency: number): Promise<BaselineResult> {
  crawleeLog.setLevel(crawleeLog.LEVELS.OFF);
  const byKey = new Map(cases.map((c) => [c.uid, c]));
  let wrong = 0;
  let pages = 0;
  const crawler = new CheerioCrawler(
    {
      minConcurrency: concurrency,
      maxConcurrency: concurrency,
      maxRequestRetries: 0,
      suggestResponseEncoding: 'windows-1251',
      requestHandler: async ({ request: req, body }) => {
        const c = byKey.get(req.userData.uid as string)!;
        pages++;
        if (!check(c, typeof body === 'string' ? body : body.toString('utf8'), cardUrl(c, port))) wrong++;
      },
      failedRequestHandler: () => {
        wrong++;
      },
    },
    new Configuration({ persistStorage: false }),
  );
  const requests = cases.map(
    (c) => new Request({ url: loopbackCardUrl(c, port), headers: { host: `${c.host}:${port}` }, userData: { uid: c.uid } }),
  );
  const started = performance.now();
  await crawler.run(requests);
  const seconds = (performance.now() - started) / 1000;
  await crawler.teardown();
  return { pages, wrong, seconds };
}
