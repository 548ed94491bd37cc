/**
 * fssp.gov.ru/iss/ip: the «Банк данных исполнительных производств» page with the search form, sent
 * as windows-1251 like the 2021 site (fixture `fssp_homepage_with_iss_search_form_2021-08-28.dom.html`:
 * `form.ip_preg` action `/iss/ip`, `is[variant]` radios 1–4 and the same field names). The real page
 * then loads results by JSONP from is.fssp.gov.ru/ajax_search; this one carries a small script
 * doing the same, so a browser robot sees the results appear in `div.iss-results`.
 */
import { esc } from '../sudrf/html.ts';
import { FSSP_ID_TYPES, FSSP_REGIONS } from './fssp-dictionaries.ts';

/** Renders the page; `q` are the submitted `is[...]` values (to refill the form). */
export function renderIssIpPage(q: URLSearchParams): string {
  const v = (name: string) => esc(q.get(`is[${name}]`) ?? '');
  const variant = q.get('is[variant]') ?? '1';
  const region = q.get('is[region_id][0]') ?? '-1';
  const idType = q.get('is[id_type][0]') ?? q.get('is[id_type]') ?? '';
  const radio = (n: string, label: string, field: string) =>
    `<label class="field__toggle-wrap"><input class="field__toggle" type="radio" name="is[variant]" value="${n}" id="r${n}" data-active="${n}" data-name="is[${field}]"${variant === n ? ' checked="checked"' : ''}/><span class="field__toggle-text">${label}</span></label>`;
  const input = (name: string, placeholder: string) =>
    `<div class="field"><input name="is[${name}]" class="field__control" type="text" placeholder="${placeholder}" value="${v(name)}"/></div>`;
  const regions = FSSP_REGIONS.map(([code, title]) => `<option value="${code}"${code === region ? ' selected' : ''}>${esc(title)}</option>`).join('\n');
  const idTypes = [`<option value="">Тип исполнительного документа</option>`,
    ...FSSP_ID_TYPES.map(([id, title]) => `<option value="${id}"${id === idType ? ' selected' : ''}>${esc(title)}</option>`)].join('\n');
  const submitted = q.has('is[variant]');
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="windows-1251">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Банк данных исполнительных производств | Федеральная служба судебных приставов</title>
</head>
<body>
<div class="container">
<h1>Банк данных исполнительных производств</h1>
<form class="ip_preg main-form__form" action="/iss/ip" method="get">
<input type="hidden" name="is[extended]" value="1"/>
<div class="main-form__section" data-type="all">
${radio('1', 'Физическое лицо', 'last_name')}
${radio('2', 'Юридическое лицо', 'drtr_name')}
${radio('3', 'Номер ИП', 'ip_number')}
${radio('4', 'Номер ИД', 'id_number')}
</div>
<div class="main-form__section" data-type="1">
${input('last_name', 'Фамилия')}
${input('first_name', 'Имя')}
${input('patronymic', 'Отчество')}
${input('date', 'дд.мм.ггг')}
</div>
<div class="main-form__section" data-type="2">
${input('drtr_name', 'Наименование предприятия')}
${input('address', 'Адрес предприятия - должника')}
</div>
<div class="main-form__section" data-type="3">
<div class="field"><input class="field__control" name="is[ip_number]" type="text" placeholder="Номер исполнительного производства" value="${v('ip_number')}"/>
<div class="field__info">Для поиска введите номер исполнительного производства в формате n..n/yy/dd/rr или n..n/yy/ddddd-ИП</div></div>
</div>
<div class="main-form__section" data-type="4">
${input('id_number', 'Номер исполнительного документа')}
<div class="field"><select class="field__control-select" name="is[id_type][0]">
${idTypes}
</select></div>
${input('id_issuer', 'Наименование органа, выдавшего исполнительный документ')}
</div>
<div class="main-form__section" data-type="all" data-not-type="3">
<div class="field"><select class="field__control-select" id="region_id" name="is[region_id][0]">
${regions}
</select></div>
</div>
<div class="main-form__btns"><button class="btn btn-primary" type="submit">Найти</button></div>
</form>
<div class="iss-results" data-submitted="${submitted ? '1' : '0'}"></div>
</div>
<script type="text/javascript">
// Like the real page: the form's values go to is.fssp.gov.ru/ajax_search by JSONP.
(function () {
  var box = document.querySelector('.iss-results');
  if (box.getAttribute('data-submitted') !== '1') return;
  var params = location.search.replace(/^\\?/, '');
  window.__fsspLoad = function (extra) {
    var cb = 'jQuery3400' + String(Math.random()).slice(2, 18) + '_' + Date.now();
    window[cb] = function (r) { box.innerHTML = r.data || ''; };
    var s = document.createElement('script');
    s.src = location.protocol + '//is.fssp.gov.ru' + (location.port ? ':' + location.port : '') + '/ajax_search?callback=' + cb + '&system=ip&nocache=1&' + params + (extra || '') + '&_=' + Date.now();
    document.body.appendChild(s);
  };
  window.__fsspLoad('');
})();
</script>
</body>
</html>
`;
}
