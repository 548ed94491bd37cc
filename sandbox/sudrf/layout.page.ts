/**
 * The page chrome around every sudrf module page, after the real pages in
 * `fixtures/real/sudrf/` (old: `card_oldtpl_syktyvkar_2-7212-2025_civil.html`, new:
 * `card_newtpl_blagoveshchensk_2-5-2026_civil.html`): windows-1251 meta tag, the anti-bot script and
 * beacon, the menu, `div#modSdpContent` with the hearing-date form, the counter with `ssid=<code>`.
 */
import type { SudrfCourt } from '../data/world.types.ts';
import { esc } from './html.ts';

const MENU = [
  ['/modules.php?name=info_court', 'О СУДЕ'],
  ['/modules.php?name=sud_delo', 'СУДЕБНОЕ ДЕЛОПРОИЗВОДСТВО'],
  ['/modules.php?name=information', 'СПРАВОЧНАЯ ИНФОРМАЦИЯ'],
  ['/modules.php?name=press_dep', 'ПРЕСС-СЛУЖБА'],
] as const;

/** Wrap module content (`inner`) into the court site's page. `hearingDate` fills the date box. */
export function sudrfPage(court: SudrfCourt, inner: string, opts: { hearingDate?: string } = {}): string {
  const date = opts.hearingDate ?? '';
  const isNew = court.template === 'new';
  const header = isNew
    ? `<link rel="stylesheet" href="/modules/sud_delo/css/v4/style.css">
<div class="round-border-container">
	<div class="form-container">
		<form class="form-item date-item" id="calformH" name="calformH" method="get" action="/modules.php">
			<input name="name" type="hidden" value="sud_delo">
			<input name="srv_num" id="srv_num" type="hidden" value="1">
			<div class="form-item date-item">
				<div class="choose-date">
					<span class="date-label">Список дел, назначенных к&nbsp;слушанию&nbsp;на</span>
					<span><input name="H_date" id="H_date" class="date" value="${esc(date)}"></span>
					<input type="button" class="button-standart button-search" onclick="hearing_list();" value="Показать">
				</div>
				<div class="show-search-form"><p><span class="dashed" id="show-sf">Поиск информации по делам</span></p></div>
			</div>
		</form>
	</div>
	<hr>
	<div id="search_results">
${inner}
	</div>
</div>`
    : `<div id="header">
	<form id="calformH" name="calformH" method="get" action="/modules.php">
		<input name="name" type="hidden" value="sud_delo">
		<input name="srv_num" type="hidden" value="1">
		<table id="top_menu" cellspacing="0" cellpadding="1">
			<tr>
				<td>Вывести список дел, назначенных на дату</td>
				<td><input name="H_date" class="text" id="H_date" style="width: 66px;" type="text" maxlength="10" value="${esc(date)}"></td>
			</tr>
			<tr>
				<td colspan="4"><a href="#" onclick="show_search(1,1)"><b>Поиск информации по делам</b></a>&nbsp;|&nbsp;<a href="#" onclick="back()"><b>Вернуться к списку дел</b></a></td>
			</tr>
		</table>
	</form>
</div>
${inner}`;
  return `<!DOCTYPE html><html class="adopt"><head>
   <meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
   <title>${esc(court.name)}</title>
   <meta http-equiv="X-UA-Compatible" content="IE=edge">
   <meta name="viewport" content="width=device-width, initial-scale=1.0">
   <link rel="stylesheet" href="/themes/mobile/style/style.css">
   <link rel="stylesheet" type="text/css" href="/themes/mobile/style/modules.css">
   ${isNew ? '' : '<link rel="stylesheet" type="text/css" href="/modules/sud_delo/css/style_portal_old.css">'}
   <script type="text/javascript" src="/672349fc084a15183dc31c93.js"></script>
   <meta name="Description" content="${esc(court.name)}">
</head><body class="assist_font_size_norm">
<noscript><img src="/492e939b2c17838216bb152871fa21ea.gif" alt=""></noscript>
<div class="header__content"><h5 class="heading heading_caps heading_title">${esc(court.name)}</h5></div>
<div class="menu menu_vertical menu_brown">
${MENU.map(([href, label]) => `<div class="menu__item"><a class="menu__link" href="${href}">${label}</a></div>`).join('\n')}
</div>
<div class="col col_content"><div class="wrapper"><div class="box box_common m-all_m">
<div class="box__head box__head_white">СУДЕБНОЕ ДЕЛОПРОИЗВОДСТВО</div>
<div id="modSdpContent">
${header}
</div></div></div></div>
<div class="footer"><div class="counter spice_adopt-hide spice_assist-hide">
<noscript><img src="//counter.sudrf.ru/cnt.php?ssid=${esc(court.code)}&show=1" alt=""></noscript>
</div></div>
</body></html>
`;
}
