/**
 * The civil search form (`name_op=sf`) and the short module answers (wrong code, no data, bad request).
 * Page contract: `fixtures/real/sudrf/search_form_captcha_cp1251_raw.html` (`form#calform`, hidden
 * `name_op=r`, `delo_id`, `case_type`, `new`, `delo_table`, the «Проверочный код» row with
 * `<input name='captcha'>`, `<img src="data: image/png;base64, …">` — the space is real — and
 * `<input name="captchaid" type="hidden">`). The form is the civil first-instance one (`g1_case`).
 * Assumption: new-template courts get the same form inside their own chrome (no saved new form).
 */
import { CARTOTEKAS, type SandboxCartoteka } from './cartotekas.ts';
import { esc } from './html.ts';

/** A captcha to show in the form. */
export interface FormCaptcha {
  id: string;
  png: Buffer;
}

/** Which register's form, in which URL form (`vnkod`: the court code; the new UI names fields `case__…`). */
export interface FormRegister {
  cartoteka?: SandboxCartoteka;
  vnkod?: string | null;
}

/**
 * The `div#content` with the search form; `captcha` adds the «Проверочный код» row. The register's
 * ids and field prefix (`g1_case__…`, `adm_case__…`) fill the primary form; a vnkod court's form
 * carries `_deloId/case__case_type/_new`, the court code in `vnkod` and `case__…` fields (field names
 * as in the real Samara new-UI search link; no saved new-UI form page, so its markup is assumed).
 */
export function renderSearchForm(captcha: FormCaptcha | null, srvNum = 1, register: FormRegister = {}): string {
  const k = register.cartoteka ?? CARTOTEKAS[0]!;
  const vnkod = register.vnkod ?? null;
  const html = primaryForm(captcha, srvNum, k);
  if (!vnkod) return html;
  const [deloId, caseType, newId] = k.vnkod;
  return html
    .replace(/\t<input name="delo_id"[^\n]*\n\t<input name="case_type"[^\n]*\n\t<input name="new"[^\n]*\n/, `\t<input name="vnkod" type="hidden" value="${esc(vnkod)}">
	<input name="_deloId" type="hidden" value="${deloId}">
	<input name="case__case_type" type="hidden" value="${caseType}">
	<input name="_new" type="hidden" value="${newId}">
	<input name="case__vnkod" type="hidden" value="${esc(vnkod)}">
	<input name="case__num_build" type="hidden" value="1">
`)
    .replace(/\s*<input name="delo_table"[^>]*>/, '')
    .replaceAll(`${k.table.replace(/_case$/, '').toUpperCase()}_PARTS__NAMESS`, 'part__namess')
    .replaceAll(`${k.table}__CASE_NUMBERSS`, 'case__case_numberss')
    .replaceAll(`${k.table}__JUDICIAL_UIDSS`, 'case__judicial_uidss')
    .replaceAll(`${k.table}__ENTRY_DATE1D`, 'case__entry_date1d')
    .replaceAll(`${k.table}__ENTRY_DATE2D`, 'case__entry_date2d');
}

function primaryForm(captcha: FormCaptcha | null, srvNum: number, k: SandboxCartoteka): string {
  const t = k.table;
  const parts = `${t.replace(/_case$/, '').toUpperCase()}_PARTS__NAMESS`;
  const captchaRow = captcha
    ? `
					<tr>
						<td style="width:10%;" align="right">Проверочный код</td>
												<td style="width:40%;">  <input name='captcha' autocomplete='off' id='captcha' type='text' class='Lookup' style="vertical-align:top;height:25px;font-size:17px;" size=10> 
						<img src="data: image/png;base64, ${captcha.png.toString('base64')}" style="border: 1px solid #4a739d;">
						<input name="captchaid" type="hidden" value="${esc(captcha.id)}">
												</td>
					</tr>`
    : '';
  return `<div id='content'>
	<form action="" method="get" name="calform" id="calform">
	<input name="name" type="hidden" value="sud_delo">
	<input name="srv_num" type="hidden" value="${srvNum}">
	<input name="name_op" type="hidden" value="r">
	<input name="delo_id" type="hidden" value="${k.deloId}">
	<input name="case_type" type="hidden" value="0">
	<input name="new" type="hidden" value="${k.newId}">
  	  	<table width="100%" cellpadding=0 cellspacing=0 border=0>
		<tr>
      		<td style="width:50%; border: 1px solid #CECECE;" align="center">
      			<div id="case_type" style="font: 14px Tahoma; color: #555;">
    	  			Выбрана картотека поиска:<br>
        			<div style="color:#006699; font-size:20px">${esc(k.title)}</div>
    			</div>
    		</td>
  		</tr>
  		<tr>
  	 		<td style="font: 14px Tahoma; color: #555; text-align: center">Поиск по делам
      			<table width="100%" cellpadding=0 cellspacing=2 border=0>
        			<tr>
    	 				<td style="width:10%;" align="right">Фамилия</td>
    	   				<td style="width:40%;"><input name='${parts}' type='text' class='Lookup' size=70></td>
        			</tr>
        			<tr>
         				<td style="width:10%;" align="right">Номер дела (материала)</td>
   	    				<td style="width:40%;"><input name='${t}__CASE_NUMBERSS' type='text' class='Lookup' size=70></td>
    	  			</tr>
        			<tr>
         				<td style="width:10%;" align="right">Уникальный идентификатор дела</td>
   	    				<td style="width:40%;"><input name='${t}__JUDICIAL_UIDSS' type='text' class='Lookup masked' size=70
									id='case__JUDICIAL_UIDSS'
									data-placeholder='XXXXXXXX-XX-YYYY-XXXXXX-XX'
									pattern='^\\d{2}(VS|KJ|AJ|OS|RS|KV|AV|OV|GV|AO|AA|AS|UD|KS|US|GU|MS|IC)\\d{4}-0[1-9]{1}-(19|20)\\d{2}-\\d{6}-\\d{2}$'
									title='Формат УИД: XXWWXXXX-XX-XXXX-XXXXXX-XX'
									data-valid-example='26RS0023-01-2020-000159-48'
									></td>
    	  			</tr>${captchaRow}
	  			</table>
    		</td>
   		</tr>
    </table>
	  	<input name="delo_table" type="hidden" value="${t}">
    <div id=line></div>
    <div style="font: 14px Tahoma; color: #555; text-align: center;">Дополнительные параметры поиска</div>
    <div id=line></div>
    <table width="100%" cellpadding=1 cellspacing=2 border=0>
		<tr><td colspan='2' class='title'>ДАННЫЕ ПО ДЕЛУ<br></td></tr>
        <tr>
        	<td style="width:30%" valign="bottom" align="right">Дата поступления</td>
	        <td style="width:70%">
				с <nobr><input name='${t}__ENTRY_DATE1D' type='text' size=10 class='Lookup'>
					 по <input name='${t}__ENTRY_DATE2D' type='text'  size=10 class='Lookup'></nobr>
       		</td>
     	</tr>
    </table>
	<div id=line></div>
	<div align="center" style="font-size: 11px; color: #555; margin-top:10px;'">
		<input name="Submit" type="submit" class="booton" value="Найти" onclick="checkForm(event);">
	</div>
</form></div>`;
}

/**
 * Wrong or expired captcha code. Page contract: `fixtures/real/sudrf/listing_captcha_gate_kas.html`
 * — `div#error` «Неверно указан проверочный код с картинки.» and a link back to the form; no form.
 */
export function renderWrongCode(srvNum = 1): string {
  return `<div id='content'>
		<div align='center' id='error'>Неверно указан проверочный код с картинки.		<br><br>
		<a href="#" onclick="document.location.href = '/modules.php?name=sud_delo&srv_num=' + ${srvNum} + '&name_op=sf&delo_id=1540005&case_type=0&new=0';">Вернуться на форму поиска<a>
	</div>
	</div>`;
}

/**
 * The honest empty answer: the form again and «Данных по запросу не обнаружено», with neither
 * `table#tablcont` nor the «Всего по запросу найдено» counter (as public sudrf scrapers record it).
 */
export function renderNoData(srvNum = 1): string {
  return `${renderSearchForm(null, srvNum)}
<div id='content_nodata'><div align='center' style='padding:10px'>Данных по запросу не обнаружено</div></div>`;
}

/** A malformed query (e.g. a date that is not DD.MM.YYYY): the real module prints this line. */
export function renderBadRequest(): string {
  return `<div id='content'><div align='center' id='error'>НЕВЕРНЫЙ ФОРМАТ ЗАПРОСА!</div></div>`;
}

/** `srv_num` outside the court's servers. */
export function renderNoServer(): string {
  return `<div id='content'><div align='center' id='error'>Указанный сервер СДП не найден.</div></div>`;
}

/**
 * The anti-bruteforce answer (FaultSpec.antiBruteforceRate): HTTP 200, the site's frame, one line.
 * Wording «Информация временно недоступна» from issue #14 (a real page seen by the author; not
 * in fixtures/real, so the rest of the line is an assumption).
 */
export function renderTemporarilyUnavailable(): string {
  return `<div id='content'><div align='center' id='error'>Информация временно недоступна. Повторите запрос через несколько минут.</div></div>`;
}

/**
 * The server-choice landing of a court with several servers (FaultSpec.serverChoice): «Выберите
 * сервер» and one link per `srv_num`, each keeping the rest of the request. Wording from issue #14;
 * the markup is an assumption (no saved copy).
 */
export function renderServerChoice(servers: number, query: string): string {
  const links = Array.from({ length: servers }, (_, i) =>
    `<li><a href="/modules.php?${esc(query)}&amp;srv_num=${i + 1}">Сервер ${i + 1}</a></li>`).join('');
  return `<div id='content'><div align='center'><b>Выберите сервер</b><ul class='srv-list'>${links}</ul></div></div>`;
}
