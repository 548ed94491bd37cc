/**
 * Pictures of HTTP captures (issue 19): how fast one offline renderer draws them and how big they are.
 *
 *   npx tsx bench/capture-picture.bench.ts [N=40] [rounds=3]
 *
 * - sandbox: N sudrf case cards fetched once from the sandbox over plain HTTP (the bytes an
 *   HTTP-mode robot stores), each drawn with its parse trace outlined.
 * - real: every page of ../shared/fixtures/real/ (when the folder exists) as the capture its site
 *   would have sent (CP1251 where the page declares it), traced where a traced parser reads it.
 * One renderer, one picture at a time (as the `capture.picture` worker runs), Chromium already
 * launched (its launch is not timed); renders/s = pictures / wall time; bytes = JPEG size.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { loadConfig } from '../config/index.ts';
import { isValidUtf8, sniffMetaCharset } from '../parsers/common/decode-html.ts';
import { traceCapturedPage } from '../parsers/traced.ts';
import { OfflineRenderer } from '../robots/capture-picture/offline-renderer.ts';
import { sudrfCardPath } from '../robots/court-sudrf/sudrf-urls.ts';
import { startSandbox } from '../sandbox/server.ts';
import { cardOnlyCases } from './support/sandbox-process.ts';
import { figureOf, finish, median } from './support/report.ts';

const N = Number(process.argv[2] ?? 40);
const ROUNDS = Number(process.argv[3] ?? 3);
const REAL = fileURLToPath(new URL('../../shared/fixtures/real/', import.meta.url));
const config = loadConfig({});

interface Capture {
  url: string;
  body: Buffer;
  contentType: string;
}

function get(origin: string, host: string, path: string): Promise<Capture> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ url: `https://${host}${path}`, body: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function realCaptures(): Capture[] {
  if (!existsSync(`${REAL}EXPECTED.json`)) return [];
  const urls = new Map<string, string>((JSON.parse(readFileSync(`${REAL}EXPECTED.json`, 'utf8')).cases as Array<{ file: string; url: string }>).map((c) => [c.file, c.url]));
  const out: Capture[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(REAL + dir)) {
      const rel = dir ? `${dir}/${name}` : name;
      if (statSync(REAL + rel).isDirectory()) walk(rel);
      else if (dir && !/\.(jpe?g|png|gif|md)$/i.test(name)) {
        const bytes = readFileSync(REAL + rel);
        const meta = sniffMetaCharset(bytes);
        const html = /\.html?$/.test(name);
        const cp1251 = html && meta === 'windows-1251' && isValidUtf8(bytes);
        out.push({
          url: urls.get(rel) ?? `https://${dir}.example/${name}`,
          body: cp1251 ? iconv.encode(bytes.toString('utf8'), 'win1251') : bytes,
          contentType: cp1251 ? 'text/html; charset=windows-1251' : html ? `text/html${meta ? `; charset=${meta}` : ''}` : 'text/plain; charset=utf-8',
        });
      }
    }
  };
  walk('');
  return out;
}

const sandbox = await startSandbox({ port: 0, seed: 42 });
const renderer = new OfflineRenderer({ executablePath: config.browser.executablePath ?? '/usr/bin/chromium', jpegQuality: config.evidence.jpegQuality });
try {
  const cases = cardOnlyCases(sandbox.world).slice(0, N);
  const sandboxCaptures = (await Promise.all(cases.map((c) => get(sandbox.url, c.host, sudrfCardPath(String(c.caseId), c.caseUid, c.srvNum))))).filter((c) => /case-num|casenumber/.test(c.body.toString('latin1')));
  const real = realCaptures();
  // Chromium's launch is not timed.
  await renderer.render({ ...sandboxCaptures[0]!, trace: null });
  const sets = { sandbox: sandboxCaptures, real };
  const rounds: Array<Record<string, { perSecond: number; meanKb: number; medianKb: number; maxKb: number; meanHeightPx: number; traced: number; boxes: number; blocked: number; sink: number }>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: (typeof rounds)[number] = {};
    for (const [name, set] of Object.entries(sets)) {
      if (set.length === 0) continue;
      const sizes: number[] = [];
      const heights: number[] = [];
      let traced = 0;
      let boxes = 0;
      let blocked = 0;
      let sink = 0;
      const t0 = performance.now();
      for (const c of set) {
        const t = traceCapturedPage(c.body, c.contentType, c.url);
        if (t) traced += 1;
        const pic = await renderer.render({ ...c, trace: t?.trace });
        sizes.push(pic.image.length);
        heights.push(pic.height);
        boxes += pic.boxes.length;
        blocked += pic.blockedRequests.length;
        sink += pic.sinkConnections;
      }
      const secs = (performance.now() - t0) / 1000;
      round[name] = {
        perSecond: set.length / secs,
        meanKb: sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024,
        medianKb: median(sizes) / 1024,
        maxKb: Math.max(...sizes) / 1024,
        meanHeightPx: heights.reduce((a, b) => a + b, 0) / heights.length,
        traced,
        boxes,
        blocked,
        sink,
      };
      console.log(`round ${r + 1} ${name}: ${set.length} pictures, ${round[name]!.perSecond.toFixed(2)}/s, mean ${round[name]!.meanKb.toFixed(0)} KB, median ${round[name]!.medianKb.toFixed(0)} KB, ${traced} traced, ${boxes} boxes, ${blocked} requests blocked`);
    }
    rounds.push(round);
  }
  const figures = Object.keys(sets).flatMap((name) => {
    const rs = rounds.map((r) => r[name]).filter((x): x is NonNullable<typeof x> => !!x);
    if (rs.length === 0) return [];
    return [
      figureOf(`pictures/s, ${name} captures (one renderer)`, '/s', rs.map((x) => x.perSecond)),
      figureOf(`KB per picture (mean), ${name}`, 'KB', rs.map((x) => x.meanKb)),
      figureOf(`KB per picture (median), ${name}`, 'KB', rs.map((x) => x.medianKb)),
    ];
  });
  finish({
    bench: 'capture-picture',
    figures,
    notes: [
      `sandbox = ${sandboxCaptures.length} sudrf cards made by the sandbox; real = ${real.length} pages of ../shared/fixtures/real/ (every file but images)`,
      `JPEG quality ${config.evidence.jpegQuality}, viewport 1280 px wide, full page (cut at 16 000 px), JavaScript off, every request blocked`,
    ],
    rounds,
  });
} finally {
  await renderer.close();
  await sandbox.close();
}
