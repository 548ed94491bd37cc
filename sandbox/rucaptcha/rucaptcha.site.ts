/**
 * A replica of the rucaptcha / 2captcha HTTP API whose "workers" read the sandbox's own pictures
 * (sandbox/captcha-ledger.ts): the `service` member of the captcha chain for the demo and tests,
 * since the real service is paid and remote. Served on the sandbox origin under
 * `/__sandbox/rucaptcha/` (`in.php`, `res.php` get / reportbad / reportgood / getbalance) — point
 * RUCAPTCHA_URL there with RUCAPTCHA_KEY={@link SANDBOX_RUCAPTCHA_KEY}.
 *
 * Like the real service it answers `CAPCHA_NOT_READY` once before the answer, refuses other keys
 * (ERROR_KEY_DOES_NOT_EXIST), and says ERROR_CAPTCHA_UNSOLVABLE for a picture it cannot read (one
 * the sandbox did not draw). `GET /__sandbox/rucaptcha/stats` counts what it was asked and told.
 */
import { jsonResponse, type SandboxContext, type SandboxSite, type SiteRequest, type SiteResponse } from '../site.ts';

/** The one key the replica takes. */
export const SANDBOX_RUCAPTCHA_KEY = 'sandbox-rucaptcha-key';

interface Job {
  answer: string | null;
  polls: number;
}

/** What the replica was asked and told. */
export interface RucaptchaReplicaStats {
  submitted: number;
  answered: number;
  unsolvable: number;
  reportedBad: number;
  reportedGood: number;
}

/** The replica as a sandbox site (admin routes only: it has no host of its own). */
export function rucaptchaSite(ctx: SandboxContext): SandboxSite & { stats: RucaptchaReplicaStats } {
  const jobs = new Map<string, Job>();
  const stats: RucaptchaReplicaStats = { submitted: 0, answered: 0, unsolvable: 0, reportedBad: 0, reportedGood: 0 };
  let next = 1000;
  const text = (body: string): SiteResponse => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(body) });

  async function admin(path: string, req: SiteRequest): Promise<SiteResponse | null> {
    if (!path.startsWith('/rucaptcha/')) return null;
    if (path === '/rucaptcha/stats') return jsonResponse(200, stats);
    const params = new URLSearchParams(req.rawQuery);
    if (req.method === 'POST') for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
    if (params.get('key') !== SANDBOX_RUCAPTCHA_KEY) return text('ERROR_KEY_DOES_NOT_EXIST');
    if (path === '/rucaptcha/in.php') {
      const body = params.get('body');
      if (params.get('method') !== 'base64' || !body) return text('ERROR_ZERO_CAPTCHA_FILESIZE');
      const id = String(next++);
      stats.submitted++;
      jobs.set(id, { answer: (await ctx.captchaLedger?.read(Buffer.from(body, 'base64'))) ?? null, polls: 0 });
      if (jobs.size > 5000) jobs.delete(jobs.keys().next().value as string);
      return text(`OK|${id}`);
    }
    if (path !== '/rucaptcha/res.php') return text('ERROR_WRONG_ACTION');
    const action = params.get('action');
    if (action === 'getbalance') return text('100.00');
    const job = jobs.get(params.get('id') ?? '');
    if (!job) return text('ERROR_WRONG_CAPTCHA_ID');
    if (action === 'get') {
      if (job.polls++ < 1) return text('CAPCHA_NOT_READY');
      if (job.answer === null) {
        stats.unsolvable++;
        return text('ERROR_CAPTCHA_UNSOLVABLE');
      }
      stats.answered++;
      return text(`OK|${job.answer}`);
    }
    if (action === 'reportbad' || action === 'reportgood') {
      if (action === 'reportbad') stats.reportedBad++;
      else stats.reportedGood++;
      return text('OK_REPORT_RECORDED');
    }
    return text('ERROR_WRONG_ACTION');
  }

  return { name: 'rucaptcha', matches: () => false, handle: async () => text('ERROR_WRONG_ACTION'), admin, stats };
}
