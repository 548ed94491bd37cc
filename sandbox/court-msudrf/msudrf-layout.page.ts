/**
 * The page chrome of a magistrate court site on `*.msudrf.ru`, after the real pages in
 * `fixtures/real/msudrf/` (`case_typeB_okt6ros_61MS0033_2-1478-2026_civil.dom.html`,
 * `kcaptcha_gate_perm_59MS0002_puppeteer-dom.html`): windows-1251 meta tag, the anti-bot script and
 * beacon, `span#court_name`, the top menu, `div.content` holding the module output, the counter
 * with `ssid=<court code>` in the footer. Also the kcaptcha gate that replaces the module output.
 */
import { esc } from '../sudrf/html.ts';
import type { MsudrfCourt } from './msudrf.data.ts';

/** Wrap module output (`inner`) into the court site's page. */
export function msudrfPage(court: MsudrfCourt, inner: string, extraHead = ''): string {
  return `<!DOCTYPE html><html lang="ru"><head>
	<meta charset="windows-1251">
	<title>${esc(court.name)}</title>
	<meta name="description" content="${esc(court.name)}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<script charset="utf-8" src="/672349fc084a15183dc31c93.js?1772134016792"></script>
	<style>.tab-content{padding:4px}.tablcont td{border:1px solid #ccc;padding:2px 4px}.tablcont h2{font-size:13px;margin:0}</style>
${extraHead}</head>
<body class="adopt-normal"><noscript><img src="/492e939b2c17838216bb152871fa21ea.gif" width="0" height="0" alt="" /></noscript>
<div class="site">
	<header>
		<p class="court-name"><span id="court_name">${esc(court.name)}</span></p>
	</header>
	<ul class="top-menu normal-version">
		<li class="first"><a href="/modules.php?name=sud_delo&amp;op=hl" class="menu-link">Судебное делопроизводство</a></li>
		<li><a href="/modules.php?name=sud_delo&amp;op=rd" class="menu-link">Судебные акты</a></li>
		<li class="last"><a href="/modules.php?name=terr" class="menu-link">Территориальная подсудность</a></li>
	</ul>
	<div class="clr menu-line second"></div>
	<div class="content">
${inner}
	</div>
	<div class="clr"></div>
</div>
<footer>
	<div class="counter"><img src="/492e939b2c17838216bb152871fa21ea.gif?ssid=${esc(court.code)}" data-src="//counter.sudrf.ru/cnt.php?ssid=${esc(court.code)}&amp;show=1" alt=""></div>
	<p>${esc(court.name)}</p>
</footer>
</body></html>`;
}

/**
 * The kcaptcha gate (real: `kcaptcha_gate_perm_59MS0002_puppeteer-dom.html`). The sandbox's own
 * script stands in for the site's: the answer is POSTed with fetch and the content is refreshed in
 * place (no navigation); a wrong answer brings a new image and the gate stays.
 */
export function kcaptchaGate(wrong = false): string {
  return `<div>
	<h2>Для продолжения необходимо пройти дополнительную проверку</h2>
	<form style="margin-top: 1em" method="post" id="kcaptchaForm">
		<div style="text-align: center">
			<div style="width: 252px; margin: 0 auto;">
				<img src="/captcha.php" style="border: 1px solid #a5a5a5; border-radius: 2px;">
			</div>
			${wrong ? '<div class="kcaptcha-error" style="color:#c00">Неверно введен код с картинки</div>' : ''}
			<div style="margin: 10px auto; width: 162px;">
				<input type="text" class="text-input" name="captcha-response" style="width: 150px;">
			</div>
			<div style="margin: 0 auto; width: 162px;">
				<button type="submit" class="button-normal" style="width: 162px;">Продолжить</button>
			</div>
		</div>
	</form>
</div>
<script>
(function () {
	var form = document.getElementById('kcaptchaForm');
	if (!form || form.dataset.bound) return;
	form.dataset.bound = '1';
	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		var body = new URLSearchParams(new FormData(form)).toString();
		fetch(location.href, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body })
			.then(function (r) { return r.arrayBuffer(); })
			.then(function (buf) {
				var html = new TextDecoder('windows-1251').decode(buf);
				var doc = new DOMParser().parseFromString(html, 'text/html');
				var fresh = doc.querySelector('div.content');
				var here = document.querySelector('div.content');
				here.innerHTML = fresh ? fresh.innerHTML : '';
				var again = here.querySelector('script');
				if (again) { var s = document.createElement('script'); s.textContent = again.textContent; here.appendChild(s); }
			});
	});
})();
</script>`;
}

/** The module's start page for `op=hl` and unknown ops. */
export function msudrfHome(court: MsudrfCourt): string {
  return `<div class="content-text"><h1>${esc(court.name)}</h1>
	<p><a href="/modules.php?name=sud_delo&amp;op=sf&amp;delo_id=1540005">Поиск информации по делам</a></p></div>`;
}

/** «Данных по запросу не обнаружено» — a card that does not exist. */
export function msudrfNoData(): string {
  return `<div class="content-text"><div align="center">Данных по запросу не обнаружено</div></div>`;
}
