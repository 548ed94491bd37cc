import { execFileSync } from 'node:child_process';
import { FingerprintGenerator, type BrowserFingerprintWithHeaders } from 'fingerprint-generator';

/** A browser fingerprint (Crawlee's fingerprint suite) with the headers that go with it. */
export type BrowserFingerprint = BrowserFingerprintWithHeaders;

/** The Accept-Language every session sends: Russian first (issue 15 §1). */
export const RU_ACCEPT_LANGUAGE = 'ru-RU,ru;q=0.9';

const generator = new FingerprintGenerator();
/** The newest Chrome major the generator's data holds for desktop Windows/Linux ru, found once. */
let dataMajor: number | null = null;

/** Versions asked of each Chromium executable (see {@link chromiumVersion}). */
const versions = new Map<string, string | null>();

/** The version of the Chromium at `executablePath` (`156.0.8078.114`), or null when it cannot be asked. */
export function chromiumVersion(executablePath: string | undefined): string | null {
  if (!executablePath) return null;
  // Asked once per executable and process: `chromium --version` blocks the event loop ~2 s here
  // (Debian's wrapper script), and every browser pool and egress pool of the process asks.
  const known = versions.get(executablePath);
  if (known !== undefined) return known;
  let version: string | null = null;
  try {
    const out = execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    version = /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
  } catch {
    // unreadable: the generator's own version numbers are kept (not cached: the next pool asks again)
    return null;
  }
  versions.set(executablePath, version);
  return version;
}

/** The desktop systems a fingerprint claims. */
export type FingerprintOs = 'windows' | 'linux';
const ALL_OS: FingerprintOs[] = ['windows', 'linux'];

const options = (minVersion: number, operatingSystems: FingerprintOs[] = ALL_OS) => ({
  browsers: [{ name: 'chrome' as const, minVersion }],
  devices: ['desktop' as const],
  operatingSystems,
  locales: ['ru-RU', 'ru'],
  strict: true,
});

/**
 * A fresh fingerprint of desktop Chrome on Windows or Linux with a Russian locale, claiming the
 * version of the Chromium that will wear it (`version`, e.g. `156.0.8078.114`): the generator's
 * data may stop at an older Chrome, so its version numbers are rewritten to the real one — a user
 * agent that disagrees with the engine is itself a tell. `os` narrows the systems claimed.
 */
export function browserFingerprint(version: string | null, os: FingerprintOs[] = ALL_OS): BrowserFingerprint {
  const major = Number(version?.split('.')[0] ?? 0);
  if (dataMajor === null) {
    dataMajor = 0;
    for (let v = major || 150; v > 100; v--) {
      try {
        generator.getFingerprint(options(v));
        dataMajor = v;
        break;
      } catch {
        // Not in the data: try an older one.
      }
    }
  }
  const fp = generator.getFingerprint(dataMajor ? options(dataMajor, os) : { ...options(100, os), strict: false });
  if (version && major) claimVersion(fp, version, major);
  fp.headers['accept-language'] = RU_ACCEPT_LANGUAGE;
  fp.fingerprint.navigator.language = 'ru-RU';
  fp.fingerprint.navigator.languages = ['ru-RU', 'ru'];
  return fp;
}

/** Rewrites every Chrome version the fingerprint states (user agent, client hints, headers) to `version`. */
function claimVersion(fp: BrowserFingerprint, version: string, major: number): void {
  const nav = fp.fingerprint.navigator;
  const ua = (s: string) => s.replace(/Chrome\/\d+(\.\d+){3}/, `Chrome/${major}.0.0.0`);
  nav.userAgent = ua(nav.userAgent);
  nav.appVersion = ua(nav.appVersion);
  for (const k of Object.keys(fp.headers)) if (k.toLowerCase() === 'user-agent') fp.headers[k] = ua(fp.headers[k]!);
  const data = nav.userAgentData as unknown as { brands?: Array<{ brand: string; version: string }>; fullVersionList?: Array<{ brand: string; version: string }>; uaFullVersion?: string } | undefined;
  if (data) {
    // Every brand but the GREASE one ("Not.A/Brand"): Chromium, Google Chrome, Brave, Edge run one engine.
    const chrome = (b: { brand: string }) => !/Brand/.test(b.brand);
    for (const b of data.brands ?? []) if (chrome(b)) b.version = String(major);
    for (const b of data.fullVersionList ?? []) if (chrome(b)) b.version = version;
    if (data.uaFullVersion) data.uaFullVersion = version;
  }
  for (const k of Object.keys(fp.headers)) {
    if (k.toLowerCase() === 'sec-ch-ua') fp.headers[k] = fp.headers[k]!.replace(/("(?:(?!Brand)[^"])+";v=")\d+"/g, `$1${major}"`);
  }
}

/**
 * What a site reads of a fingerprint on every request: user agent, client hints, platform. Chrome's
 * reduced user agent makes this the same for most people on one Chrome version and system, so two
 * fingerprints differ here mostly by the system they claim.
 */
export function headerIdentity(fp: BrowserFingerprint): string {
  const h = sessionHeaders(fp);
  return [h['user-agent'], h['sec-ch-ua'], h['sec-ch-ua-platform']].join('|');
}

/** The system a fingerprint claims, read off its user agent. */
export function fingerprintOs(fp: BrowserFingerprint): FingerprintOs {
  return /Windows/.test(fp.fingerprint.navigator.userAgent) ? 'windows' : 'linux';
}

/**
 * What tells two fingerprints apart at a glance, as any page's script reads them: user agent, screen,
 * cores. Not `navigator.deviceMemory`: Chromium shows it only in a secure context, and many court
 * sites are plain http, where two fingerprints differing only there look alike. The generator's
 * desktop-ru data holds ~13 such looks, so only that many live sessions of a process can differ.
 */
export function fingerprintSignature(fp: BrowserFingerprint): string {
  const f = fp.fingerprint;
  return [f.navigator.userAgent, f.screen.width, f.screen.height, f.navigator.hardwareConcurrency].join('|');
}

/**
 * Headers a request-level client sends are the browser's own (fingerprint-injector leaves them to
 * Chromium per request); transport headers are the HTTP client's. Neither belongs to a session.
 */
const PER_REQUEST_HEADERS = new Set(['connection', 'accept-encoding', 'host', 'te', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-user', 'sec-fetch-dest']);

/**
 * The headers the HTTP client sends for a session wearing `fp`: what its browser sends on every
 * request (user agent, `sec-ch-ua*`, Accept-Language ru) plus the navigation `accept`, so a
 * session's HTTP requests and its browser's look like one client.
 */
export function sessionHeaders(fp: BrowserFingerprint): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fp.headers)) {
    const key = k.toLowerCase();
    if (!PER_REQUEST_HEADERS.has(key)) out[key] = v;
  }
  out['accept-language'] = RU_ACCEPT_LANGUAGE;
  return out;
}
