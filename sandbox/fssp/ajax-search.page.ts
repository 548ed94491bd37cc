/**
 * The `data` fragments of is.fssp.gov.ru/ajax_search, markup and whitespace as in the real answers
 * (fixtures `fssp/ajax_search_*.jsonp`, CRLF line ends inside `data`), and the JSONP envelope.
 * Rows follow `iss_ip_results_page32_multiregion_devtools-copy.html` and `…results_3rows_spb`:
 * region separators, row classes `" "`/`"even "` counted across separators, `bottom` on the last
 * row, the pay button and `window["_ipServices"]` only on active proceedings.
 */
import { createHash } from 'node:crypto';
import { toRuDate } from '../data/dates.ts';
import { esc } from '../sudrf/html.ts';
import { dataIpOf, rubles, type SandboxProceeding } from './fssp.data.ts';

const CRLF = '\r\n';
const lines = (...parts: string[]) => parts.join(CRLF);

/**
 * The `url` of the popup form and the base of page links: the request's query with `&code=…`
 * removed and `callback=…` emptied, as the real popups show it («/ajax_search?&amp;system=ip…»).
 */
export function formUrl(rawQuery: string): string {
  const q = rawQuery.replace(/&code=[^&]*/g, '').replace(/(^|&)callback=[^&]*/g, '$1');
  return `/ajax_search?${q}`;
}

/** The captcha popup (challenge). */
export function renderCaptchaPopup(rawQuery: string, jpeg: Buffer): string {
  return lines(
    '', '',
    '<div id="captcha-popup" data-ajax="false" style="display: block; left: 0;top: 0; position:relative;">',
    '    <div class="head"></div>',
    `    <form class="body content" data-ajax="false" method="get" action="" id="ncapcha"  url="${esc(formUrl(rawQuery))}">`,
    '        <h2>Введите код с картинки:</h2>',
    '        <div class="context">',
    '        ',
    `            <img src="data:image/jpeg;base64,${jpeg.toString('base64')}" id="capchaVisual" alt="загрузка..."><a id="ncapchaAudio" href="#"></a>`,
    '        ',
    '        </div>',
    '        <div class="input">',
    '            ',
    '            <input id="captcha-popup-code" type="text" name="code" class="input-text" />',
    '            <input type="submit" value="Отправить" id="ncapcha-submit" class="input-submit-capcha" />',
    '        </div>',
    '    </form>',
    '    <div class="foot"></div>',
    '</div>',
  );
}

/** «Неверно введен код» + a new popup. */
export function renderWrongCode(rawQuery: string, jpeg: Buffer): string {
  return lines('', '<div class="empty">', '    Неверно введен код', '</div>', '') + renderCaptchaPopup(rawQuery, jpeg);
}

/** The honest empty answer (byte-exact with `ajax_search_empty`). */
export function renderEmpty(): string {
  return lines(
    '<div class="iss">', '    ', '    <div class="results" style="margin:10px 0;">', '        <div class="empty">',
    '            По вашему запросу ничего не найдено', '        </div>', '    </div>', '    ', '</div>',
  );
}

const HEADERS: ReadonlyArray<readonly [cls: string, title: string, small: string | null]> = [
  ['left', 'Должник', '(физ. лицо: ФИО, дата и место рождения; юр. лицо: наименование, юр. адрес, фактический адрес)'],
  ['', 'Исполнительное производство', '(номер, дата возбуждения)'],
  ['', 'Реквизиты исполнительного документа', '(вид, дата принятия органом, номер, наименование органа, выдавшего исполнительный документ)'],
  ['', 'Дата, причина окончания или прекращения ИП', '(статья, часть, пункт основания)'],
  ['', 'Сервис', null],
  ['', 'Предмет исполнения, сумма непогашенной задолженности', null],
  ['', 'Отдел судебных приставов', '(наименование, адрес)'],
  ['right', 'Судебный пристав-исполнитель, телефон для получения информации', null],
];

const IP_SERVICES = '<script type="text/javascript">window["_ipServices"] = {"receipt":{"title":"Квитанция","hide_title":true,"banner":"form.svg","subtitle":"<br>Квитанция","url":"https://is.fssp.gov.ru/get_receipt/?receipt="},"epgu":{"title":"Оплата через ЕПГУ","hide_title":true,"url":"https://is.fssp.gov.ru/pay/?service=epgu&pay=","banner":"pay_gos.svg","subtitle":"<br>Оплата любыми картами"}};</script>';

function cells(p: SandboxProceeding): string[] {
  const debtor = p.debtor.birthDate
    ? `${esc(p.debtor.name)} <br>${toRuDate(p.debtor.birthDate)} <br>${esc(p.debtor.birthPlace)}`
    : `${esc(p.debtor.name)} <br>${esc(p.debtor.birthPlace)}`;
  const ip = `${p.ipNumber} от ${toRuDate(p.ipDate)}${p.sdNumber ? ` <br>${p.sdNumber}` : ''}`;
  const d = p.executiveDocument;
  const doc = [`${esc(d.type)} от ${toRuDate(d.date)} № ${esc(d.number)}`, ...p.extraDocuments.map(esc), esc(d.issuer)].join('<br />');
  const end = p.ended ? `${toRuDate(p.ended.date)}<br>ст. ${p.ended.article}<br>ч. ${p.ended.part}<br>п. ${p.ended.point}` : '';
  const service = p.debtRestKopecks === null
    ? IP_SERVICES
    : `<div class="pay-wrap"><a debt-rest="${rubles(p.debtRestKopecks)}" data-ip="${dataIpOf(p.ipNumber)}" data-uin="${p.uin}" class="btn-pay"></a>${IP_SERVICES}</div>`;
  const subject = p.subjects.map((s) => `${esc(s.type)}${s.amountKopecks === null ? '' : `: ${rubles(s.amountKopecks)} руб.`}<br />`).join('');
  const dept = `${esc(p.department.name)}<br>${esc(p.department.address)}`;
  const bailiff = `${esc(p.bailiff)}<br><b>${esc(p.department.phone)}</b>`;
  return [debtor, ip, doc, end, service, subject, dept, bailiff];
}

/** Page links: «Предыдущая», 1 …, five pages either side, … last, «Следующая» (real page 32 shows «1 … 27–31 [32]»). */
function renderPagination(base: string, page: number, pages: number): string {
  if (pages <= 1) return '';
  const href = (n: number) => esc(`https://is.fssp.gov.ru${base}&page=${n}`);
  const out: string[] = [];
  if (page > 1) out.push(`                <a href="${href(page - 1)}">Предыдущая</a>`);
  const from = Math.max(1, page - 5);
  const to = Math.min(pages, page + 5);
  if (from > 1) out.push(`                    <a href="${href(1)}">1</a>`, from > 2 ? '                    <span class="dots">...</span>' : '');
  for (let n = from; n <= to; n++) {
    out.push(n === page ? `                        <span class="active"><span>${n}</span></span>` : `                        <a href="${href(n)}">${n}</a>`);
  }
  if (to < pages) out.push(to < pages - 1 ? '                    <span class="dots">...</span>' : '', `                    <a href="${href(pages)}">${pages}</a>`);
  if (page < pages) out.push(`                <a href="${href(page + 1)}">Следующая</a>`);
  return lines('<div class="npagination-is">', '    <div class="pagination">', '        <div class="context">', ...out.filter(Boolean), '        </div>', '    </div>', '</div>', '');
}

/** The results fragment for one page of `rows` (already cut to the page), `total` over all pages. */
export function renderResults(opts: { rows: SandboxProceeding[]; total: number; page: number; pages: number; rawQuery: string }): string {
  const base = formUrl(opts.rawQuery.replace(/&page=[^&]*/g, ''));
  const head = HEADERS.map(([cls, title, small]) => lines(
    '                    ', `                        <th class="${cls}">`, '                            ',
    `                            ${title}${small ? ` <span class="small">${small}</span>` : ''}`,
    '                            ', '                        </th>',
  ));
  const body: string[] = [];
  let region: string | null = null;
  opts.rows.forEach((p, i) => {
    if (p.regionTitle !== region) {
      region = p.regionTitle;
      body.push(lines('                    ', '                                <tr class="region-title">',
        `                                    <td colspan="8" style=""><h3>${esc(region)}</h3></td>`, '                                </tr>', '                                '));
    }
    const cls = `${i % 2 === 1 ? 'even' : ''} ${i === opts.rows.length - 1 ? 'bottom' : ''}`;
    body.push(lines(`                         <tr class="${cls}">`, '                        ',
      ...cells(p).map((c, k) => lines(`                                    <td class="${k === 0 ? 'first' : ''}">${c}</td>`, '                                ', '                            ')),
      '                        </tr>', '                    '));
  });
  return lines(
    '<div class="iss">', '    ', '    <div class="results">', '        <div class="context">',
    '            <div class="search-found-total">', '                <div class="search-found-total-inner" style="float:left">',
    `                    Найдено записей: <b>${opts.total}</b>`, '                    <div class="corner"></div>', '                </div>',
    '                <div style="clear:left; background-color: #B7E52C; padding: 5px;">',
    '                    Для участия в исполнительном производстве воспользуйтесь сервисом <a href="https://www.gosuslugi.ru/" style="text-decoration: underline;">https://www.gosuslugi.ru/</a>',
    '                </div>', '            </div>', '        </div>',
    renderPagination(base, opts.page, opts.pages),
    '        <div class="results-frame">', '            <table class="list border table alt-p05">', '                <tr>',
    ...head, '                    ', '                </tr>', '                ', ...body, '', '            </table>', '        </div>', '',
    '        ', '        <div class="print">', '            <div class="context">',
    '                <a id="print-page" target="_blank"><span>Распечатать</span></a>', '            </div>', '        </div>', '        ', '        ',
    '        <div class="debt-popup" style="display: none">',
    '            <div class="dp-title">Сумма платежа более <span class="dynamic_num">14 999</span> руб.</div>',
    '            <div class="dp-separator"></div>', '            <div class="dp-text">',
    '                <p>Размер вашей задолженности превышает максимально допустимый размер платежа (<span class="dynamic_num">14 999</span> рублей).</p>',
    '                <p>Для продолжения нажмите "Оплатить" – сумма платежа будет установлена равной <span class="dynamic_num"> 14 999</span> рублям.</p>',
    '                <p>Для погашения всей задолженности выберите другой способ оплаты.</p>', '            </div>',
    '            <a target="_blank" class="debt"></a>', '            <a href="#" class="dp-close"></a>', '        </div>', '    </div>', '    ', '</div>',
  );
}

/**
 * The wire answer: JSONP `/**\/ typeof cb === 'function' && cb({"data":…,"err":…});` with the real
 * headers, or plain JSON when there is no callback (Express `res.jsonp` does the same).
 */
export function jsonpResponse(callback: string | null, data: string, err: string | null, extraHeaders: Record<string, string> = {}) {
  const json = JSON.stringify({ data, err });
  const safe = callback && /^[\w$.[\]]{1,200}$/.test(callback) ? callback : null;
  const text = safe ? `/**/ typeof ${safe} === 'function' && ${safe}(${json});` : json;
  const body = Buffer.from(text, 'utf8');
  const etag = `W/"${body.length.toString(16)}-${createHash('md5').update(body).digest('hex').slice(0, 8)}"`;
  return {
    status: 200,
    headers: {
      server: 'nginx',
      date: new Date().toUTCString(),
      'content-type': safe ? 'text/javascript; charset=utf-8' : 'application/json; charset=utf-8',
      'x-powered-by': 'Express',
      'x-content-type-options': 'nosniff',
      etag,
      ...extraHeaders,
    },
    body,
  };
}
