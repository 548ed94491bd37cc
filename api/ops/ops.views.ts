import type { CaptchaTaskDoc } from '../../storage/captcha-tasks.types.ts';
import type { RobotBeat } from '../../storage/robots.types.ts';
import type { HostHealth, OpsService } from './ops.service.ts';

/** HTML-escapes text for element content and attribute values. */
export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const NAV = [
  ['/ops', 'overview'],
  ['/ops/charts', 'charts'],
  ['/ops/queues', 'queues (Bull Board)'],
  ['/ops/robots', 'robots'],
  ['/ops/hosts', 'hosts'],
  ['/ops/captcha', 'captcha hand-off'],
  ['/ops/failures', 'failures'],
] as const;

/** The page frame: a light, script-free layout that refreshes itself where asked. */
export function layout(title: string, body: string, options: { refreshSecs?: number; flash?: string; anonymous?: boolean } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · konveyer ops</title>
${options.refreshSecs ? `<meta http-equiv="refresh" content="${options.refreshSecs}">` : ''}
<style>body{font:14px system-ui,sans-serif;margin:0 1.5rem 2rem;color:#222}nav a{margin-right:1rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}.bad{color:#b00}.ok{color:#070}.flash{background:#ffd;padding:.5rem;border:1px solid #cc8}
form.inline{display:inline}img.captcha{border:1px solid #999;image-rendering:pixelated;height:60px}</style></head>
<body><nav><strong>konveyer ops</strong> · ${NAV.map(([href, label]) => `<a href="${href}">${label}</a>`).join('')}${options.anonymous ? '' : '<form class="inline" method="post" action="/ops/logout"><button>sign out</button></form>'}</nav>
<h1>${esc(title)}</h1>${options.flash ? `<p class="flash" role="status">${esc(options.flash)}</p>` : ''}${body}</body></html>`;
}

export function loginPage(reason?: string): string {
  return layout(
    'Sign in',
    `${reason ? `<p class="bad">${esc(reason)}</p>` : ''}<form method="post" action="/ops/login"><label>API key with the "ops" scope <input name="key" type="password" autocomplete="off" size="50"></label> <button>Sign in</button></form>`,
    { anonymous: true },
  );
}

const button = (action: string, label: string, fields: Record<string, string>) =>
  `<form class="inline" method="post" action="${esc(action)}">${Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('')}<button>${esc(label)}</button></form>`;

/**
 * The overview: per queue, BullMQ's counts beside MongoDB's lookups by status, flagged where
 * MongoDB holds `queued` lookups whose job is gone (the queue shows 0 waiting, the farm does nothing).
 */
export function overviewPage(
  queues: Awaited<ReturnType<OpsService['queues']>>,
  robots: RobotBeat[],
  hosts: HostHealth[],
  openCaptchas: number,
  flash?: string,
  lookups: Awaited<ReturnType<OpsService['lookupCounts']>> = [],
): string {
  const byName = new Map(lookups.map((l) => [l.name, l]));
  const orphans = lookups.reduce((n, l) => n + l.queuedWithoutJob, 0);
  const rows = queues
    .map(
      (q) => `<tr><td>${esc(q.name)}</td>${['waiting', 'active', 'delayed', 'failed', 'completed'].map((s) => `<td>${q.counts[s] ?? 0}</td>`).join('')}${mongoCells(byName.get(q.name))}
<td>${q.paused ? '<span class="bad">paused</span>' : 'running'}</td><td>${button(q.paused ? '/ops/actions/resume' : '/ops/actions/pause', q.paused ? 'resume' : 'pause', { target: q.name })}</td></tr>`,
    )
    .join('');
  const openCircuits = hosts.filter((h) => h.circuit !== 'closed').length;
  return layout(
    'Overview',
    `${orphans > 0 ? `<p class="bad" role="alert">${orphans} lookup(s) queued in MongoDB without a job: the robots will never see them. The stuck-lookup sweeper re-queues them (STUCK_SWEEP_SECS); <code>konveyer ops retry --batch …</code> does it by hand.</p>` : ''}
<table><tr><th rowspan="2">queue</th><th colspan="5">BullMQ jobs</th><th colspan="${MONGO_STATES.length + 1}">lookups in MongoDB</th><th rowspan="2">state</th><th rowspan="2"></th></tr>
<tr><th>waiting</th><th>active</th><th>delayed</th><th>failed</th><th>completed</th>${MONGO_STATES.map((s) => `<th>${s}</th>`).join('')}<th>queued without a job</th></tr>${rows}</table>
<p><a href="/ops/charts">the farm in charts</a> (last hour / day: lookups by outcome, latency, queue depth, success rate and circuits per host, captcha solvers, robots and memory)</p>
<p>${robots.length} robot(s) online · ${hosts.filter((h) => h.paused).length} host(s) paused · ${openCircuits} circuit(s) not closed · <a href="/ops/captcha">${openCaptchas} captcha(s) waiting for a human</a></p>
<p>${button('/ops/actions/drain', 'drain every robot', {})} (robots finish their jobs and exit; new ones started later keep working)</p>`,
    { refreshSecs: 10, flash },
  );
}

const MONGO_STATES = ['queued', 'running', 'succeeded', 'not_found', 'failed', 'needs_human'] as const;

function mongoCells(l: Awaited<ReturnType<OpsService['lookupCounts']>>[number] | undefined): string {
  if (!l) return `${MONGO_STATES.map(() => '<td>–</td>').join('')}<td>–</td>`;
  const counts = l.byStatus as Record<string, number>;
  const flag = l.queuedWithoutJob > 0 ? `<td class="bad" data-orphans="${l.queuedWithoutJob}">${l.queuedWithoutJob}${l.checked >= 1000 ? '+' : ''} ⚠</td>` : '<td class="ok">0</td>';
  return `${MONGO_STATES.map((s) => `<td>${counts[s] ?? 0}</td>`).join('')}${flag}`;
}

export function robotsPage(robots: RobotBeat[], flash?: string): string {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const rows = robots
    .map(
      (r) => `<tr><td>${esc(r._id)}</td><td>${esc(r.host)}</td><td>${r.pid}</td><td>${esc(r.role)}</td><td>${esc(r.status)}</td><td>${r.concurrency}</td><td>${r.currentJobs}</td>
<td>${mb(r.rssBytes)}</td><td>${r.browsers} (${mb(r.browserBytes)}, ${r.pagesOpened} pages)</td><td>${esc(new Date(r.lastSeenAt).toISOString())}</td><td>${button('/ops/actions/drain', 'drain', { robot: r._id })}</td></tr>`,
    )
    .join('');
  return layout(
    'Robots online',
    robots.length
      ? `<table><tr><th>robot</th><th>host</th><th>pid</th><th>role</th><th>status</th><th>concurrency</th><th>current jobs</th><th>memory</th><th>browsers</th><th>last seen</th><th></th></tr>${rows}</table>`
      : '<p>No robot has sent a heartbeat recently.</p>',
    { refreshSecs: 10, flash },
  );
}

export function hostsPage(hosts: HostHealth[], flash?: string): string {
  const rows = hosts
    .map(
      (h) => `<tr><td>${esc(h.host)}</td><td>${h.requests}</td><td class="${h.successRate !== null && h.successRate < 0.8 ? 'bad' : 'ok'}">${h.successRate === null ? '–' : `${(h.successRate * 100).toFixed(1)} %`}</td>
<td>${h.avgLatencyMs ?? '–'} ms</td><td class="${h.circuit === 'closed' ? 'ok' : 'bad'}">${h.circuit}${h.openUntil ? ` until ${esc(new Date(h.openUntil).toISOString())}` : ''} (${h.circuitFailures} failures)</td>
<td><form class="inline" method="post" action="/ops/actions/limit"><input type="hidden" name="host" value="${esc(h.host)}"><input name="rps" value="${h.limit.rps}" size="4"> rps / <input name="concurrency" value="${h.limit.concurrency}" size="3"> <button>set</button></form>${h.limitOverridden ? ' (set live)' : ''}</td>
<td>${h.paused ? '<span class="bad">paused</span>' : 'no'}</td>
<td>${button(h.paused ? '/ops/actions/resume' : '/ops/actions/pause', h.paused ? 'resume' : 'pause', { target: h.host })} ${h.circuit !== 'closed' ? button('/ops/actions/circuit-reset', 'close circuit', { host: h.host }) : ''}</td></tr>`,
    )
    .join('');
  return layout(
    'Target hosts (last 5 minutes)',
    `<table><tr><th>host</th><th>requests</th><th>success</th><th>latency</th><th>circuit</th><th>rate limit</th><th>paused</th><th></th></tr>${rows}</table>
<form method="post" action="/ops/actions/pause"><label>pause another host <input name="target" placeholder="host.sudrf.ru"></label> <button>pause</button></form>`,
    { flash },
  );
}

export function captchaPage(tasks: CaptchaTaskDoc[], flash?: string): string {
  const rows = tasks
    .map(
      (t) => `<tr><td><img class="captcha" alt="captcha ${esc(t._id)}" src="data:${esc(t.contentType)};base64,${t.imageBase64}"></td><td>${esc(t.kind)}</td><td>${esc(t.target ?? '')}</td><td>${esc(t.lookupId ?? '')}</td>
<td>${esc(t.createdAt.toISOString())}</td><td><form method="post" action="/ops/captcha/${esc(t._id)}/answer"><input name="answer" aria-label="answer for ${esc(t._id)}" autocomplete="off" required> <button>submit</button></form></td></tr>`,
    )
    .join('');
  return layout(
    'Captcha and second-factor hand-off',
    tasks.length ? `<table><tr><th>image</th><th>kind</th><th>site</th><th>lookup</th><th>since</th><th>answer</th></tr>${rows}</table>` : '<p>Nothing waits for a human.</p>',
    { flash },
  );
}

export function failuresPage(groups: Awaited<ReturnType<OpsService['failures']>>, flash?: string): string {
  const body = groups
    .map(
      (g) => `<h2>${esc(g.code)} — ${g.count}</h2><p>${button('/ops/actions/retry', `retry all ${g.code}`, { code: g.code })} ${button('/ops/actions/discard', `discard all ${g.code}`, { code: g.code })}</p>
<table><tr><th>lookup</th><th>type</th><th>message</th><th>evidence</th><th></th></tr>${g.examples
        .map(
          (e) => `<tr><td>${esc(e.id)}</td><td>${esc(e.type)}</td><td>${esc(e.message)}</td><td><a href="/audit/jobs/${encodeURIComponent(e.id)}">timeline</a>${e.evidenceId ? ` · item ${esc(e.evidenceId)}` : ''}</td>
<td>${e.discarded ? 'discarded' : `${button('/ops/actions/retry', 'retry', { id: e.id })} ${button('/ops/actions/discard', 'discard', { id: e.id })}`}</td></tr>`,
        )
        .join('')}</table>`,
    )
    .join('');
  return layout('Failures by error code', body || '<p>No failed lookups.</p>', { flash });
}
