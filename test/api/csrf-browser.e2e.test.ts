/**
 * Cross-site request forgery in a real Chromium (issue 13, item 4): an operator signed in to the
 * ops dashboard opens a page served from another port of the same host (SameSite=Strict still
 * sends the dashboard's cookie there: ports do not make another site). That page auto-submits a
 * form and fires a no-cors fetch at the pause action. The host must not be paused. Then the
 * dashboard's own pause button still works.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../robots/runtime/browser-pool.ts';
import { openApiHarness, type ApiHarness } from './api-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const HOST = 'sovetsky--kzn.sudrf.ru';
let h: ApiHarness;
let base: string;
let evil: Server;
let evilBase: string;
let browser: Browser;
let token: string;

beforeAll(async () => {
  h = await openApiHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  token = (await h.storage.apiKeys.create({ name: 'csrf-ops', scopes: ['ops'] })).token;
  // The attacker's page: same host, another port.
  evil = createServer((req, res) => {
    const page =
      req.url === '/form'
        ? `<form id="f" method="post" action="${base}/ops/actions/pause"><input name="target" value="${HOST}"></form><script>document.getElementById('f').submit()</script>`
        : `<script>fetch('${base}/ops/actions/pause', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'target=${HOST}' }).finally(() => { document.title = 'sent' })</script>`;
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body>${page}</body></html>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilBase = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => evil?.close(r));
  await h?.close();
});

async function isHostPaused(): Promise<boolean> {
  const redis = h.queueFor('court.case').opts.connection as unknown as import('ioredis').Redis;
  return (await redis.exists(`${h.config.queue.prefix}:polite:{${HOST}}:paused`)) === 1;
}

describe.skipIf(!existsSync(CHROMIUM))('CSRF in Chromium', () => {
  it('a page on another port cannot pause a host with the operator’s cookie; the dashboard’s own button can', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/ops/login`);
    await page.fill('input[name=key]', token);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/ops`);
    // The forged form: the browser sends the cookie (same site), the server must refuse.
    const forged = await ctx.newPage();
    const answer = forged.waitForResponse((r) => r.url() === `${base}/ops/actions/pause`);
    await forged.goto(`${evilBase}/form`);
    const res = await answer;
    expect(res.request().headers().cookie ?? (await res.request().allHeaders()).cookie).toContain('konveyer_ops=');
    expect(res.status()).toBe(403);
    expect(await isHostPaused()).toBe(false);

    // The no-cors fetch: an opaque answer for the attacker, and still nothing paused.
    await forged.goto(`${evilBase}/fetch`);
    await forged.waitForFunction(() => document.title === 'sent');
    expect(await isHostPaused()).toBe(false);

    const cookie = (await ctx.cookies()).find((c) => c.name === 'konveyer_ops');
    expect(cookie?.value).not.toBe(token);
    expect(cookie?.path).toBe('/ops');

    // Our own page: the pause form on /ops/hosts carries the CSRF token and works.
    await page.goto(`${base}/ops/hosts`);
    await page.fill('input[name=target][placeholder]', HOST);
    await page.getByRole('button', { name: 'pause', exact: true }).last().click();
    expect(await page.locator('p.flash').innerText()).toContain(`paused host ${HOST}`);
    expect(await isHostPaused()).toBe(true);
    await ctx.close();
  }, 120_000);
});
