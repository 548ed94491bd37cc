import type { CourtCaseDoc } from '../../storage/models/court-case.model.ts';
import type { EvidenceManifest } from '../../storage/evidence/manifest.model.ts';
import { INFO_FINDINGS, type JobVerification } from '../../storage/evidence/verify-job.ts';
import type { LookupSearch } from '../../storage/evidence/scope.ts';
import type { AuditLogEntry } from '../../storage/audit-log.repo.ts';
import type { EvidenceItem } from '../../storage/evidence.types.ts';
import type { LookupDoc } from '../../storage/lookups.types.ts';

/** HTML-escapes text for element content and quoted attributes. */
export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}header{background:#243b53;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
header a{color:#fff}main{padding:16px;max-width:1400px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
code{font-size:12px;word-break:break-all}.ok{color:#0a7d32;font-weight:bold}.bad{color:#b00020;font-weight:bold}tr.flagged{background:#ffe5e5}
.step{display:grid;grid-template-columns:minmax(260px,480px) 1fr;gap:12px;border:1px solid #ddd;margin:8px 0;padding:8px}.step.flagged{border:2px solid #b00020;background:#fff5f5}
.step img{max-width:100%;border:1px solid #ccc}.side{display:grid;grid-template-columns:1fr 360px;gap:16px}aside{border-left:3px solid #9fb3c8;padding-left:12px}
form.search{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px}label{display:flex;flex-direction:column;font-size:12px}.muted{color:#777}
.pic{position:relative;display:inline-block;max-width:100%}.pic img{display:block;width:100%}.pic .box{position:absolute;border:2px solid rgba(230,81,0,.9);box-sizing:border-box}
.pic .box b{position:absolute;right:100%;top:-2px;background:#e65100;color:#fff;font-size:10px;padding:0 3px}table.fields td{font-size:12px}.notlocated{color:#b00020}.rule{color:#555;font-style:italic}`;

/** The page frame. */
export function layout(title: string, body: string, actor?: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${esc(title)} — konveyer audit</title><style>${CSS}</style></head>
<body><header><strong>konveyer · audit</strong><a href="/audit">search</a><a href="/audit/log">audit log</a>${
    actor ? `<span class="muted" style="margin-left:auto;color:#cde">${esc(actor)}</span><form method="post" action="/audit/logout"><button>sign out</button></form>` : ''
  }</header><main>${body}</main></body></html>`;
}

/** The login form (also the body of a 401/403 page). */
export function loginPage(reason?: string): string {
  return layout(
    'sign in',
    `<h1>Auditor sign-in</h1>${reason ? `<p class="bad" id="auth-error">${esc(reason)}</p>` : ''}
<form method="post" action="/audit/login"><label>API key with the "audit" scope<input type="password" name="key" size="60" autocomplete="off" required></label><button type="submit">Sign in</button></form>`,
  );
}

const statusOf = (l: LookupDoc) => `<span class="${l.status === 'failed' ? 'bad' : ''}">${esc(l.status)}</span>`;
const inputOf = (l: LookupDoc) => esc(Object.entries(l.input).map(([k, v]) => `${k}=${v}`).join(' '));

/** The search form and its results. */
export function searchPage(q: LookupSearch, lookups: LookupDoc[], cases: Map<string, CourtCaseDoc>, actor: string): string {
  const field = (name: keyof LookupSearch, label: string, type = 'text') =>
    `<label>${label}<input type="${type}" name="${name}" value="${esc(q[name] ?? '')}"></label>`;
  const rows = lookups
    .map((l) => {
      const c = l.result?.collection === 'court_cases' ? cases.get(l.result.id) : undefined;
      const debtors = (c?.parties ?? []).filter((p) => p.roleNorm === 'debtor').map((p) => p.name).join('; ');
      return `<tr><td><a class="job" href="/audit/jobs/${esc(encodeURIComponent(l._id))}">${esc(l._id)}</a></td><td>${esc(l.type)}</td><td>${statusOf(l)}</td><td>${inputOf(l)}</td><td>${esc(c?.caseNumber ?? '')}</td><td>${esc(debtors)}</td><td>${esc(l.createdAt?.toISOString?.() ?? '')}</td><td>${l.evidenceCount}</td></tr>`;
    })
    .join('');
  return layout(
    'search',
    `<h1>Lookups</h1><form class="search" method="get" action="/audit">${field('debtor', 'Debtor (name)')}${field('caseNumber', 'Case number')}${field('ipNumber', 'ИП number')}${field('date', 'Date', 'date')}<button type="submit">Find</button></form>
<table id="results"><thead><tr><th>job</th><th>type</th><th>status</th><th>input</th><th>case</th><th>debtor</th><th>created</th><th>items</th></tr></thead><tbody>${rows || '<tr><td colspan="8" class="muted">nothing found</td></tr>'}</tbody></table>`,
    actor,
  );
}

function recordPanel(record: CourtCaseDoc | null): string {
  if (!record) return '<aside><h3>Parsed result</h3><p class="muted">no record (not found or failed)</p></aside>';
  const parties = (record.parties ?? []).map((p) => `<li>${esc(p.roleNorm)}: ${esc(p.name)}</li>`).join('');
  const events = (record.events ?? []).map((e) => `<li>${esc(e.date)} ${esc(e.name)} ${esc(e.result ?? '')}</li>`).join('');
  return `<aside id="record"><h3>Parsed result</h3><p><strong>${esc(record.caseNumber)}</strong> · ${esc(record.court?.name)}<br>status <strong>${esc(record.status)}</strong> · judge ${esc(record.judge)}<br>UID ${esc(record.uid)}</p>
<h4>Parties</h4><ul>${parties}</ul><h4>Events</h4><ul>${events}</ul><p class="muted">source ${esc(record.source?.url)}<br>evidence ${esc(record.source?.evidenceId)}</p>
<p><a href="/audit/export/case/${esc(encodeURIComponent(record._id))}">Export every lookup of this case</a></p></aside>`;
}

/** A job's timeline: each step with its screenshot or body, URL, time and hashes; chain status; parsed result beside. */
export function jobPage(lookup: LookupDoc | null, jobId: string, items: EvidenceItem[], v: JobVerification, manifest: EvidenceManifest | null, record: CourtCaseDoc | null, actor: string): string {
  const chain = v.ok
    ? `<p id="chain-status" class="ok" data-ok="true">Chain verified: ${v.items} items re-hashed just now, links and order intact${manifest ? ', manifest matches' : ''}.</p>`
    : `<div id="chain-status" class="bad" data-ok="false"><p>Chain BROKEN: ${v.findings.filter((f) => !INFO_FINDINGS.has(f.kind)).length} finding(s)</p><ul>${v.findings.map((f) => `<li class="finding" data-kind="${esc(f.kind)}">${esc(f.kind)}: ${esc(f.message)}</li>`).join('')}</ul></div>`;
  const steps = items
    .map((it) => {
      const flag = v.flagged[it._id];
      const blob = `/audit/blobs/${it.sha256}?job=${encodeURIComponent(jobId)}`;
      const picture = it.kind === 'http_response' ? items.find((p) => p.kind === 'picture' && p.step === `picture-of-${it.seq}`) : undefined;
      const view =
        it.kind === 'screenshot'
          ? `<a href="${esc(blob)}"><img class="shot" src="${esc(blob)}" alt="screenshot of step ${esc(it.step)}" loading="lazy"></a>`
          : it.kind === 'picture'
            ? pictureView(it, blob)
            : `<a href="${esc(blob)}">${it.kind === 'html' ? 'page DOM' : 'raw response'} (${it.size} bytes, shown as text)</a>${
                it.kind === 'http_response' ? `<p class="muted">${picture ? `drawn offline as picture <a href="#seq-${picture.seq}">#${picture.seq}</a>` : 'no picture yet'}</p>` : ''
              }`;
      return `<section class="step${flag && !INFO_FINDINGS.has(flag) ? ' flagged' : ''}" data-seq="${it.seq}" data-flag="${esc(flag ?? '')}"><div id="seq-${it.seq}" data-kind="${esc(it.kind)}">${view}</div><div>
<h3>#${it.seq} ${esc(it.step)} <small>${esc(it.kind)}</small>${flag ? ` <span class="bad flag">${esc(flag)}</span>` : ''}</h3>
<table><tr><th>time</th><td>${esc(it.at.toISOString())}</td></tr><tr><th>URL</th><td><code>${esc(it.url)}</code></td></tr>
<tr><th>sha256</th><td><code>${esc(it.sha256)}</code></td></tr><tr><th>link</th><td><code>${esc(it.hash)}</code></td></tr><tr><th>prev</th><td><code>${esc(it.prevHash ?? '—')}</code></td></tr>
<tr><th>robot</th><td>${esc(it.robot)}</td></tr><tr><th>HTTP</th><td>${esc((it.meta as { status?: unknown }).status ?? '')}</td></tr></table>${it.kind === 'picture' ? pictureFields(it) : ''}</div></section>`;
    })
    .join('');
  const head = lookup
    ? `<p>${esc(lookup.type)} · ${statusOf(lookup)} · ${inputOf(lookup)} · attempts ${lookup.attempts}${lookup.error ? ` · error <code>${esc(lookup.error.code)}</code>` : ''}</p>`
    : '<p class="muted">no lookup document</p>';
  return layout(
    `job ${jobId}`,
    `<h1>Job <code>${esc(jobId)}</code></h1>${head}${chain}<p>manifest hash <code id="manifest-hash">${esc(manifest?.manifestHash ?? 'none')}</code></p>
<p><a id="export" href="/audit/export/job/${esc(encodeURIComponent(jobId))}" download>Export evidence bundle (zip)</a></p>
<div class="side"><div id="timeline">${steps || '<p class="muted">no evidence</p>'}</div>${recordPanel(record)}</div>`,
    actor,
  );
}

/** What the UI reads of a picture's meta (robots/capture-picture/picture-job.ts PictureMeta). */
interface PictureMetaView {
  derivedFrom?: string;
  derivedFromSeq?: number;
  renderer?: { name?: string; version?: string; chromium?: string };
  renderedAs?: string;
  problem?: string | null;
  width?: number;
  height?: number;
  blockedRequests?: number;
  parser?: string | null;
  fields?: Array<{ field: string; value: string | null; box?: { x: number; y: number; width: number; height: number }; rule?: string; notLocated?: string }>;
}

const pct = (v: number, of: number | undefined) => `${((v / (of || 1)) * 100).toFixed(3)}%`;

/** A picture with its traced fields boxed (numbered as in the list beside it; hover shows the value). */
function pictureView(it: EvidenceItem, blob: string): string {
  const m = (it.meta ?? {}) as PictureMetaView;
  const boxes = (m.fields ?? []).filter((f) => f.box).map((f, i) => {
    const b = f.box!;
    return `<span class="box" data-field="${esc(f.field)}" title="${esc(`${f.field}: ${f.value ?? '—'}`)}" style="left:${pct(b.x, m.width)};top:${pct(b.y, m.height)};width:${pct(b.width, m.width)};height:${pct(b.height, m.height)}"><b>${i + 1}</b></span>`;
  }).join('');
  return `<div class="pic"><a href="${esc(blob)}"><img class="picture" src="${esc(blob)}" alt="picture of capture #${esc(m.derivedFromSeq)}" loading="lazy"></a>${boxes}</div>`;
}

/** Beside a picture: what it was drawn from and by, and each traced field with its value and where it was read. */
function pictureFields(it: EvidenceItem): string {
  const m = (it.meta ?? {}) as PictureMetaView;
  let n = 0;
  const rows = (m.fields ?? []).map((f) => {
    const where = f.box
      ? `box ${++n}`
      : f.rule
        ? `<span class="rule">by rule: ${esc(f.rule)}</span>`
        : `<span class="notlocated">not located: ${esc(f.notLocated ?? 'no place on the page')}</span>`;
    return `<tr class="field" data-field="${esc(f.field)}" data-located="${f.box ? 'box' : f.rule ? 'rule' : 'no'}"><td><code>${esc(f.field)}</code></td><td>${esc(f.value ?? '—')}</td><td>${where}</td></tr>`;
  }).join('');
  return `<p>drawn offline from <a href="#seq-${esc(m.derivedFromSeq)}">#${esc(m.derivedFromSeq)}</a> (body <code>${esc(String(m.derivedFrom ?? '').slice(0, 16))}…</code>) by ${esc(m.renderer?.name)} ${esc(m.renderer?.version)}, Chromium ${esc(m.renderer?.chromium)}, JavaScript off, ${esc(m.blockedRequests ?? 0)} requests blocked${m.problem ? `<br><span class="bad picture-problem">${esc(m.problem)}</span>` : ''}</p>
${m.parser ? `<table class="fields"><thead><tr><th>field</th><th>parsed value</th><th>where</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="muted">no traced parser reads this page: no field is located on it</p>'}`;
}

/** The audit log, newest first. */
export function auditLogPage(entries: AuditLogEntry[], actor: string): string {
  const rows = entries
    .map((e) => `<tr><td>${esc(e.at.toISOString())}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td><code>${esc(e.target)}</code></td><td>${esc(e.ip)}</td></tr>`)
    .join('');
  return layout('audit log', `<h1>Audit log</h1><table><thead><tr><th>when</th><th>who</th><th>what</th><th>target</th><th>ip</th></tr></thead><tbody>${rows}</tbody></table>`, actor);
}
