/**
 * An account's portal cookies at rest: sealed with AES-256-GCM (core/crypto.ts) and bound to the
 * account id, stored in `epgu_sessions`; restored into a browser context or an HTTP cookie jar.
 * Cookies never reach logs, job data or captcha tasks in the clear.
 */
import type { BrowserContext } from 'playwright';
import type { CookieJar } from 'tough-cookie';
import { AuthRequiredError } from '../../core/errors.ts';
import { CryptoError, seal, unseal } from '../../core/crypto.ts';
import type { EpguRobotServices } from '../runtime/robot-services.ts';

/** A cookie as Playwright gives it (the fields we keep). */
export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

const isEpguCookie = (c: { domain: string }) => /(^|\.)gosuslugi\.ru$/.test(c.domain.replace(/^\./, ''));

export function keyOf(epgu: EpguRobotServices): Buffer {
  if (!epgu.encryptionKey) throw new AuthRequiredError('ENCRYPTION_KEY is not set: EPGU sessions cannot be stored', { target: 'epgu' });
  return epgu.encryptionKey;
}

export function sealCookies(epgu: EpguRobotServices, account: string, cookies: StoredCookie[]): string {
  return seal(keyOf(epgu), JSON.stringify(cookies), `epgu:${account}`);
}

/** The account's stored cookies, or [] when none or they do not open (key rotated, tampered). */
export async function loadCookies(epgu: EpguRobotServices, account: string): Promise<StoredCookie[]> {
  const doc = await epgu.sessions.get(account);
  if (!doc?.sealedCookies) return [];
  return openCookies(epgu, account, doc.sealedCookies);
}

export function openCookies(epgu: EpguRobotServices, account: string, sealed: string): StoredCookie[] {
  try {
    return JSON.parse(unseal(keyOf(epgu), sealed, `epgu:${account}`).toString('utf8')) as StoredCookie[];
  } catch (error) {
    if (error instanceof CryptoError) return [];
    throw error;
  }
}

/** The context's EPGU cookies. */
export async function contextCookies(context: BrowserContext): Promise<StoredCookie[]> {
  return (await context.cookies()).filter(isEpguCookie).map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path, expires: c.expires, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite }));
}

/** Replaces the context's EPGU cookies by `cookies` (the shared context holds one account at a time). */
export async function putIntoContext(context: BrowserContext, cookies: StoredCookie[]): Promise<void> {
  await context.clearCookies({ domain: /(^|\.)gosuslugi\.ru$/ });
  if (cookies.length) await context.addCookies(cookies);
}

export async function saveFromContext(epgu: EpguRobotServices, account: string, context: BrowserContext): Promise<void> {
  await epgu.sessions.saveCookies(account, sealCookies(epgu, account, await contextCookies(context)));
}

/** Puts cookies into an HTTP session's jar (HTTP mode). */
export async function putIntoJar(jar: CookieJar, cookies: StoredCookie[]): Promise<void> {
  for (const c of cookies) {
    const host = c.domain.replace(/^\./, '');
    const attrs = [`Domain=${host}`, `Path=${c.path || '/'}`];
    if (c.expires > 0) attrs.push(`Expires=${new Date(c.expires * 1000).toUTCString()}`);
    await jar.setCookie(`${c.name}=${c.value}; ${attrs.join('; ')}`, `http://${host}/`, { ignoreError: true });
  }
}
