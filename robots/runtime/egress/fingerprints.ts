import { execFileSync } from 'node:child_process';
import { FingerprintGenerator, type BrowserFingerprintWithHeaders } from 'fingerprint-generator';

/** A browser fingerprint (Crawlee's fingerprint suite) with the headers that go with it. */
export type BrowserFingerprint = BrowserFingerprintWithHeaders;

/** The Accept-Language every session sends: Russian first (issue 15 §1). */
export const RU_ACCEPT_LANGUAGE = 'ru-RU,ru;q=0.9';

const generator = new FingerprintGenerator();
/** The newest Chrome major the generator's data holds for desktop Windows/Linux ru, found once. */
let dataMajor: number | null = null;

/** The version of the Chromium at `executablePath` (`156.0.8078.114`), or null when it cannot be asked. */
export function chromiumVersion(executablePath: string | undefined): string | null {
  if (!executablePath) return null;
  try {
    const out = execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

const options = (minVersion: number) => ({
  browsers: [{ name: 'chrome' as const, minVersion }],
  devices: ['desktop' as const],
  operatingSystems: ['windows' as const, 'linux' as const],
  locales: ['ru-RU', 'ru'],
  strict: true,
});

/**
 * A fresh fingerprint of desktop Chrome on Windows or Linux with a Russian locale, claiming the
 * version of the Chromium that will wear it (`version`, e.g. `156.0.8078.114`): the generator's
 * data may stop at an older Chrome, so its version numbers are rewritten to the real one — a user
 * agent that disagrees with the engine is itself a tell.
 */
export function browserFingerprint(version: string | null): BrowserFingerprint {
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
  const fp = generator.getFingerprint(dataMajor ? options(dataMajor) : { ...options(100), strict: false });
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
    const chrome = (b: { brand: string }) => /Chrom/.test(b.brand);
    for (const b of data.brands ?? []) if (chrome(b)) b.version = String(major);
    for (const b of data.fullVersionList ?? []) if (chrome(b)) b.version = version;
    if (data.uaFullVersion) data.uaFullVersion = version;
  }
  for (const k of Object.keys(fp.headers)) {
    if (k.toLowerCase() === 'sec-ch-ua') fp.headers[k] = fp.headers[k]!.replace(/("(?:Chromium|Google Chrome)";v=")\d+"/g, `$1${major}"`);
  }
}

/** What tells two fingerprints apart at a glance (user agent, screen, cores, memory), as a page reads them. */
export function fingerprintSignature(fp: BrowserFingerprint): string {
  const f = fp.fingerprint;
  return [f.navigator.userAgent, f.screen.width, f.screen.height, f.navigator.hardwareConcurrency, f.navigator.deviceMemory].join('|');
}
