/**
 * HTML of the EPGU replica (UTF-8): the ESIA login pages, the three steps of the FSSP application
 * wizard, the status page of an application and «Мои заявления». The real pages are an Angular
 * app; no sample is public, so the markup is ours [U] — stable ids and data attributes the robot
 * reads (written against this file, version `epgu-sandbox-1`).
 */
import { EPGU_REQUEST_KINDS } from '../../core/epgu-kinds.ts';
import type { SandboxApplication } from './epgu-portal.store.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function layout(title: string, body: string, user: string | null = null): string {
  return `<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:Arial,sans-serif;margin:24px;max-width:900px}header{border-bottom:2px solid #0d4cd3;margin-bottom:16px}
.error{color:#c00;margin:8px 0}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}label{display:block;margin:8px 0}</style></head>
<body><header><b>Госуслуги</b>${user ? ` <span id="user-name">${esc(user)}</span> <a href="/logout">Выйти</a>` : ''}</header>${body}</body></html>`;
}

export function loginPage(error: string | null = null): string {
  return layout(
    'Вход в личный кабинет',
    `<h1>Вход</h1>${error ? `<div class="error" id="login-error">${esc(error)}</div>` : ''}
<form method="post" action="/login/pwd" id="login-form">
<label>Телефон / Email / СНИЛС <input id="login" name="login" autocomplete="username"></label>
<label>Пароль <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button type="submit" id="loginByPwdButton">Войти</button></form>`,
  );
}

export function codePage(factor: 'sms' | 'totp', phoneMasked: string, error: string | null = null): string {
  const hint = factor === 'sms' ? `Введите код из СМС, отправленный на номер ${esc(phoneMasked)}` : 'Введите код из приложения-аутентификатора';
  return layout(
    'Подтверждение входа',
    `<h1>Подтверждение входа</h1><p id="factor" data-factor="${factor}">${hint}</p>${error ? `<div class="error" id="code-error">${esc(error)}</div>` : ''}
<form method="post" action="/login/${factor === 'sms' ? 'otp' : 'totp'}" id="code-form">
<label>Код <input id="code" name="code" inputmode="numeric" maxlength="6"></label>
<button type="submit" id="confirmCode">Продолжить</button></form>`,
  );
}

export function homePage(user: string): string {
  return layout('Госуслуги — личный кабинет', `<h1 id="lk">Личный кабинет</h1><ul><li><a href="/600361/1/form">Заявление стороны исполнительного производства (ФССП)</a></li><li><a href="/orders">Мои заявления</a></li></ul>`, user);
}

export function anonymousHome(esiaLoginUrl: string): string {
  return layout('Госуслуги', `<h1>Госуслуги</h1><a id="login-link" href="${esc(esiaLoginUrl)}">Войти</a>`);
}

const steps = (n: number) => `<p class="steps" id="step" data-step="${n}">Шаг ${n} из 3</p>`;

export function step1Page(user: string, error: string | null = null, value = ''): string {
  return layout(
    'Заявление стороны ИП — шаг 1',
    `<h1>Заявление стороны исполнительного производства</h1>${steps(1)}${error ? `<div class="error" id="form-error">${esc(error)}</div>` : ''}
<form method="post" action="/600361/1/form/step1" id="wizard-form">
<label>Номер исполнительного производства <input id="ipNumber" name="ipNumber" value="${esc(value)}" placeholder="12345/24/02003-ИП"></label>
<button type="submit" id="next">Далее</button></form>`,
    user,
  );
}

export function step2Page(user: string, draft: string, ipNumber: string, error: string | null = null): string {
  const options = Object.entries(EPGU_REQUEST_KINDS).map(([code, label]) => `<option value="${code}">${esc(label[0]!.toUpperCase() + label.slice(1))}</option>`).join('');
  return layout(
    'Заявление стороны ИП — шаг 2',
    `<h1>Заявление стороны исполнительного производства</h1>${steps(2)}<p>ИП № <span id="ip">${esc(ipNumber)}</span></p>${error ? `<div class="error" id="form-error">${esc(error)}</div>` : ''}
<form method="post" action="/600361/1/form/step2" id="wizard-form"><input type="hidden" name="draft" value="${esc(draft)}">
<label>Вид заявления <select id="kind" name="kind"><option value="">— выберите —</option>${options}</select></label>
<button type="submit" id="next">Далее</button></form>`,
    user,
  );
}

export function step3Page(user: string, draft: string, ipNumber: string, kindLabel: string, error: string | null = null): string {
  return layout(
    'Заявление стороны ИП — шаг 3',
    `<h1>Заявление стороны исполнительного производства</h1>${steps(3)}<p>ИП № ${esc(ipNumber)}, заявление ${esc(kindLabel)}</p>${error ? `<div class="error" id="form-error">${esc(error)}</div>` : ''}
<form method="post" action="/600361/1/form/step3" id="wizard-form"><input type="hidden" name="draft" value="${esc(draft)}">
<label>Текст заявления <textarea id="text" name="text" rows="6" cols="80"></textarea></label>
<button type="submit" id="submit">Подать заявление</button></form>`,
    user,
  );
}

const ru = (ms: number) => {
  const d = new Date(ms + 3 * 3600_000).toISOString();
  return `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)} ${d.slice(11, 16)}`;
};

export function orderPage(user: string, app: SandboxApplication, statuses: Array<{ status: string; at: number }>): string {
  const rows = statuses.map((s) => `<tr class="status-row" data-status="${esc(s.status)}" data-at="${new Date(s.at).toISOString()}"><td>${ru(s.at)}</td><td>${esc(s.status)}</td></tr>`).join('');
  return layout(
    `Заявление № ${app.number}`,
    `<h1>Заявление № <span id="order-number">${esc(app.number)}</span></h1>
<p>ИП № <span id="order-ip">${esc(app.ipNumber)}</span>, заявление ${esc(EPGU_REQUEST_KINDS[app.kind])}</p>
<p>Текущий статус: <b id="order-status">${esc(statuses.at(-1)!.status)}</b></p><table id="history"><tr><th>Дата</th><th>Статус</th></tr>${rows}</table>`,
    user,
  );
}

export function ordersPage(user: string, rows: Array<{ app: SandboxApplication; status: string; registeredAt: number | null }>): string {
  const body = rows
    .map(
      ({ app, status, registeredAt }) =>
        `<tr class="order" data-number="${esc(app.number)}" data-ip="${esc(app.ipNumber)}" data-kind="${app.kind}" data-status="${esc(status)}" data-sent="${new Date(app.sentAt).toISOString()}" data-registered="${registeredAt === null ? '' : new Date(registeredAt).toISOString()}">` +
        `<td><a href="/order/${esc(app.number)}">${esc(app.number)}</a></td><td>${ru(app.sentAt)}</td><td>${esc(app.ipNumber)}</td><td>${esc(EPGU_REQUEST_KINDS[app.kind])}</td><td>${esc(status)}</td><td class="text">${esc(app.text)}</td></tr>`,
    )
    .join('');
  return layout('Мои заявления', `<h1>Мои заявления</h1><table id="orders"><tr><th>№</th><th>Дата</th><th>ИП</th><th>Вид</th><th>Статус</th><th>Текст</th></tr>${body}</table>`, user);
}
