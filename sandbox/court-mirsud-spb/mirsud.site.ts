/**
 * The mirsud.spb.ru replica (TARGETS.md §2.2). Routes:
 * - `/cases/detail/<участок>/?id=<case no>` — the empty card shell; sets the `csrftoken` cookie.
 * - `/cases/api/detail/?id=<case no>&court_site_id=<участок>` — starts a background task, `{ id }`.
 * - `/cases/api/results/?id=<task>` — `{ finished: false }` until the task is done (after
 *   `taskMs`), then `{ finished: true, result: { html } }` with the screen view and the print form.
 *   Both API routes answer 403 without the in-page XHR headers (`X-Requested-With: XMLHttpRequest`
 *   and `X-CSRFToken` equal to the `csrftoken` cookie).
 * - `/cases/?id=<case no>&full_name=<party>&date_from=&date_to=<DD.MM.YYYY>&court_site_id=<участок>` —
 *   server-rendered search (`table.rwd-table`): every given field must match (a party by substring,
 *   registration dates inclusive); no `id` and no `full_name` lists nothing. One page, no paging.
 * Assumptions (not observed byte for byte): the API returns ready HTML rather than JSON fields, and
 * the search page is server-rendered, and its party/date field names
 * (`full_name`, `date_from`, `date_to`) are this replica's. Everything is UTF-8.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxContext, SandboxSite, SiteRequest, SiteResponse } from '../site.ts';
import { jsonResponse } from '../site.ts';
import { findMirsudCase, generateMirsudData, type MirsudData } from './mirsud.data.ts';
import { renderCardShell, renderCaseNotFound, renderCaseResult, renderHome, renderNotFoundPage, renderSearch } from './mirsud.pages.ts';

export const MIRSUD_HOST = 'mirsud.spb.ru';

/** Tunables of the replica. */
export interface MirsudSiteOptions {
  /** How long a background task takes before its result is ready; default 1200 ms. */
  taskMs?: number;
  /** How often the shell polls for the result; default 400 ms (the real portal: 5 s). */
  pollMs?: number;
}

const norm = (v: string) => v.toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
const isoOf = (ru: string) => (/^\d{2}\.\d{2}\.\d{4}$/.test(ru.trim()) ? ru.trim().split('.').reverse().join('-') : null);

const HTML = { 'content-type': 'text/html; charset=utf-8' };
const html = (status: number, body: string, headers: Record<string, string> = {}): SiteResponse => ({ status, headers: { ...HTML, ...headers }, body: Buffer.from(body, 'utf8') });

interface Task {
  readyAt: number;
  html: string;
}

function cookie(req: SiteRequest, name: string): string | null {
  const raw = req.headers.cookie;
  const text = Array.isArray(raw) ? raw.join('; ') : raw ?? '';
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(text);
  return m?.[1] ?? null;
}

/** The API's check: an XHR from the page, carrying the page's CSRF token. */
function isInPageXhr(req: SiteRequest): boolean {
  const token = cookie(req, 'csrftoken');
  return req.headers['x-requested-with'] === 'XMLHttpRequest' && token !== null && req.headers['x-csrftoken'] === token;
}

/** Builds the mirsud.spb.ru site over the world (data derived from its seed). */
export function mirsudSite(shared: SandboxContext, options: MirsudSiteOptions = {}): SandboxSite & { data: MirsudData } {
  const { taskMs = 1200, pollMs = 400 } = options;
  const data = generateMirsudData(shared.world);
  const sections = new Map(data.sections.map((s) => [s.section, s]));
  const tasks = new Map<string, Task>();

  async function handle(req: SiteRequest): Promise<SiteResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.alloc(0) };
    const q = new URLSearchParams(req.rawQuery);
    const card = /^\/cases\/detail\/(\d+)\/?$/.exec(req.path);
    if (card) {
      const section = Number(card[1]);
      if (!sections.has(section)) return html(404, renderNotFoundPage());
      const token = cookie(req, 'csrftoken') ?? randomBytes(16).toString('hex');
      return html(200, renderCardShell(section, q.get('id') ?? '', pollMs), { 'set-cookie': `csrftoken=${token}; Path=/; SameSite=Lax` });
    }
    if (req.path === '/cases/api/detail/' || req.path === '/cases/api/results/') {
      if (!isInPageXhr(req)) return jsonResponse(403, { detail: 'Учетные данные не были предоставлены.' });
      if (req.path === '/cases/api/detail/') {
        const section = sections.get(Number(q.get('court_site_id')));
        const found = section ? findMirsudCase(data, section.section, q.get('id') ?? '') : undefined;
        const id = randomBytes(12).toString('hex');
        // Drop finished tasks nobody fetched, so a long run does not grow the map without end.
        if (tasks.size > 5000) tasks.clear();
        tasks.set(id, { readyAt: shared.now() + taskMs, html: section && found ? renderCaseResult(section, found) : renderCaseNotFound() });
        return jsonResponse(200, { id });
      }
      const task = tasks.get(q.get('id') ?? '');
      if (!task) return jsonResponse(404, { detail: 'Задача не найдена' });
      if (shared.now() < task.readyAt) return jsonResponse(200, { finished: false });
      return jsonResponse(200, { finished: true, result: { html: task.html } });
    }
    if (req.path === '/cases/' || req.path === '/cases') {
      const id = (q.get('id') ?? '').trim();
      const section = Number(q.get('court_site_id') ?? '') || null;
      const name = norm(q.get('full_name') ?? '');
      const from = isoOf(q.get('date_from') ?? '');
      const to = isoOf(q.get('date_to') ?? '');
      const rows = id || name
        ? data.cases.filter((c) =>
          (!id || c.caseNumber === id)
          && (section === null || c.section === section)
          && (!name || c.parties.some((p) => norm(p.name).includes(name)))
          && (!from || c.registeredAt >= from)
          && (!to || c.registeredAt <= to))
        : [];
      return html(200, renderSearch(rows));
    }
    if (req.path === '/') return html(200, renderHome(data.sections));
    return html(404, renderNotFoundPage());
  }

  return {
    name: 'court-mirsud-spb',
    data,
    matches: (vhost) => vhost === MIRSUD_HOST,
    handle,
    /** `GET /__sandbox/mirsud-spb/cases`: участки and the identifiers a lookup needs. */
    async admin(path) {
      if (path !== '/mirsud-spb/cases') return null;
      return jsonResponse(200, {
        sections: data.sections,
        cases: data.cases.map((c) => ({ section: c.section, number: c.caseNumber, uid: c.uid, status: c.status })),
      });
    },
  };
}
