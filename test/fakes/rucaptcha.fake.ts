/**
 * A local fake of the rucaptcha / 2captcha HTTP API (in.php, res.php get/reportbad/reportgood/getbalance),
 * for tests and benchmarks: the real service is paid and remote. It answers with what `answer`
 * returns for the image (a test knows the sandbox's answers), after `notReadyPolls` polls of
 * `CAPCHA_NOT_READY`, and records every call and verdict so tests can check the protocol.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRucaptchaOptions {
  /** The one key it accepts; anything else gets ERROR_KEY_DOES_NOT_EXIST. */
  key: string;
  /** The worker's answer for an image; null = ERROR_CAPTCHA_UNSOLVABLE. */
  answer: (image: Buffer, params: URLSearchParams) => string | null | Promise<string | null>;
  /** Polls answered CAPCHA_NOT_READY before the answer. Default 1. */
  notReadyPolls?: number;
  /** Balance; each accepted captcha costs 1 until 0 → ERROR_ZERO_BALANCE. Default unlimited. */
  balance?: number;
}

export interface FakeRucaptchaCaptcha {
  id: string;
  image: Buffer;
  params: Record<string, string>;
  answer: string | null;
  polls: number;
  report: 'good' | 'bad' | null;
}

export interface FakeRucaptcha {
  url: string;
  captchas: FakeRucaptchaCaptcha[];
  /** Every request as `METHOD path?action`. */
  calls: string[];
  close(): Promise<void>;
}

/** Starts the fake on a free local port. */
export async function startFakeRucaptcha(options: FakeRucaptchaOptions): Promise<FakeRucaptcha> {
  const captchas: FakeRucaptchaCaptcha[] = [];
  const calls: string[] = [];
  let balance = options.balance ?? Number.POSITIVE_INFINITY;
  const server: Server = createServer(async (req, res) => {
    const send = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST') for (const [k, v] of new URLSearchParams(await readBody(req))) params.set(k, v);
      calls.push(`${req.method} ${url.pathname}${params.get('action') ? `?${params.get('action')}` : ''}`);
      if (params.get('key') !== options.key) return send('ERROR_KEY_DOES_NOT_EXIST');
      if (url.pathname === '/in.php') {
        if (params.get('method') !== 'base64' || !params.get('body')) return send('ERROR_WRONG_CAPTCHA_ID');
        if (balance <= 0) return send('ERROR_ZERO_BALANCE');
        balance--;
        const image = Buffer.from(params.get('body')!, 'base64');
        const { key: _key, body: _body, ...rest } = Object.fromEntries(params);
        const c: FakeRucaptchaCaptcha = { id: String(1000 + captchas.length), image, params: rest, answer: await options.answer(image, params), polls: 0, report: null };
        captchas.push(c);
        return send(`OK|${c.id}`);
      }
      if (url.pathname === '/res.php') {
        if (params.get('action') === 'getbalance') return send(Number.isFinite(balance) ? String(balance) : '100.00');
        const c = captchas.find((x) => x.id === params.get('id'));
        if (!c) return send('ERROR_WRONG_CAPTCHA_ID');
        switch (params.get('action')) {
          case 'get':
            c.polls++;
            if (c.polls <= (options.notReadyPolls ?? 1)) return send('CAPCHA_NOT_READY');
            return send(c.answer === null ? 'ERROR_CAPTCHA_UNSOLVABLE' : `OK|${c.answer}`);
          case 'reportbad':
          case 'reportgood':
            c.report = params.get('action') === 'reportgood' ? 'good' : 'bad';
            return send('OK_REPORT_RECORDED');
          default:
            return send('ERROR_WRONG_ACTION');
        }
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    captchas,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
