/**
 * The mos-sud.ru replica (TARGETS.md §2.3). Routes: `/rs/<n>` district directory
 * (`window.__state = { courts:[…] }`); `/<участок>/cases/details/<uuid>` the server-rendered card;
 * `/search` the form, `/search?uid=<UID>` and `/search?formType=shortForm|fullForm&courtAlias=&caseNumber=
 * &participant=&caseDateFrom=&caseDateTo=` (DD.MM.YYYY) its results (one page: no paging here). UTF-8; no captcha is enforced
 * (the page only declares reCAPTCHA, as the real one does).
 */
import type { SandboxContext, SandboxSite, SiteRequest, SiteResponse } from '../site.ts';
import { jsonResponse } from '../site.ts';
import { generateMosSudData, type MosSudData } from './mos-sud.data.ts';
import { MOS_SUD_SEARCH_FIELDS, renderCard, renderDirectory, renderNotFound, renderSearch, type MosSudSearchFields } from './mos-sud.pages.ts';

export const MOS_SUD_HOST = 'mos-sud.ru';

const norm = (v: string) => v.toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
const isoOf = (ru: string) => (/^\d{2}\.\d{2}\.\d{4}$/.test(ru) ? ru.split('.').reverse().join('-') : null);

/**
 * The search form's filter: every non-empty field must match — court alias (`ms<участок>`), UID,
 * number of the case or its material, a substring of a party's name, registration dates (inclusive).
 * A search with no field at all lists nothing (the portal asks for a criterion).
 */
export function searchCases(data: MosSudData, f: MosSudSearchFields): MosSudData['cases'] {
  const from = isoOf(f.caseDateFrom ?? '');
  const to = isoOf(f.caseDateTo ?? '');
  const number = norm(f.caseNumber ?? '');
  const party = norm(f.participant ?? '');
  const uid = (f.uid ?? '').toUpperCase();
  if (!number && !party && !uid) return [];
  return data.cases.filter((c) =>
    (!f.courtAlias || f.courtAlias === `ms${c.section}`)
    && (!uid || c.uid === uid)
    && (!number || norm(c.caseNumber ?? '') === number || norm(c.materialNumber) === number)
    && (!party || c.parties.some((p) => norm(p.name).includes(party)))
    && (!from || c.registeredAt >= from)
    && (!to || c.registeredAt <= to));
}

const html = (status: number, body: string): SiteResponse => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(body, 'utf8') });

/** Builds the mos-sud.ru site over the world (data derived from its seed). */
export function mosSudSite(shared: SandboxContext): SandboxSite & { data: MosSudData } {
  const data = generateMosSudData(shared.world);
  const sections = new Map(data.sections.map((s) => [s.section, s]));

  async function handle(req: SiteRequest): Promise<SiteResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.alloc(0) };
    const q = new URLSearchParams(req.rawQuery);
    const rs = /^\/rs\/(\d+)\/?$/.exec(req.path);
    if (rs) {
      const n = Number(rs[1]);
      return data.districts.some((d) => d.n === n) ? html(200, renderDirectory(data, n)) : html(404, renderNotFound());
    }
    const card = /^\/(\d+)\/cases\/details\/([0-9a-f-]{36})\/?$/.exec(req.path);
    if (card) {
      const s = sections.get(Number(card[1]));
      const c = s && data.cases.find((k) => k.section === s.section && k.uuid === card[2]);
      return s && c ? html(200, renderCard(s, c)) : html(404, renderNotFound());
    }
    if (req.path === '/search' || req.path === '/search/') {
      if (q.has('formType')) {
        const fields: MosSudSearchFields = { formType: q.get('formType') ?? '' };
        for (const f of MOS_SUD_SEARCH_FIELDS) fields[f] = (q.get(f) ?? '').trim();
        const found = searchCases(data, fields).map((c) => ({ s: sections.get(c.section)!, c }));
        return html(200, renderSearch(null, found, fields));
      }
      const uid = q.has('uid') ? (q.get('uid') ?? '').trim().toUpperCase() : null;
      const found = uid ? data.cases.filter((c) => c.uid === uid).map((c) => ({ s: sections.get(c.section)!, c })) : [];
      return html(200, renderSearch(uid, found));
    }
    return html(404, renderNotFound());
  }

  return {
    name: 'court-mos-sud',
    data,
    matches: (vhost) => vhost === MOS_SUD_HOST,
    handle,
    /** `GET /__sandbox/mos-sud/cases`: участки and the identifiers a lookup needs. */
    async admin(path) {
      if (path !== '/mos-sud/cases') return null;
      return jsonResponse(200, {
        sections: data.sections,
        cases: data.cases.map((c) => ({ section: c.section, caseUid: c.uuid, uid: c.uid, number: c.caseNumber ?? c.materialNumber, status: c.status })),
      });
    },
  };
}
