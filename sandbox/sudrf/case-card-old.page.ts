/**
 * Case card, old template. Page contract: `fixtures/real/sudrf/card_oldtpl_syktyvkar_2-7212-2025_civil.html`
 * — `div.title`, `div.casenumber`, `ul.tabs > li#tabN.sel|nonsel > a onclick="index(i, N)"`, panes
 * `div#contN` each with a `table#tablcont` (the id repeats, as on the real site), first row a `th` title.
 */
import type { SandboxCase, SandboxWorld, SudrfCourt } from '../data/world.types.ts';
import type { CourtLayoutVariant } from '../sandbox-state.ts';
import { caseRows } from './case-card-common.ts';
import { titleOf } from './cartotekas.ts';
import { esc, ruDate } from './html.ts';

const TD = (v: string | null | undefined): string => `<td>${esc(v)}</td>`;

/**
 * The `div#content` of an old-template card, in one of the real layout variants (FaultSpec.layoutVariant):
 * `movement_only` after sudrf_oldtpl_leninsky_tyumen_2-3891-2026_card_movement_sanitized.html (the number
 * and `div#cont2` with a plain `<table>` of the movement, nothing else); `panes_reordered` parties
 * before the movement; `panes_missing` no parties pane (msudrf_typeB okt6.ros has none); `name_first_parties`
 * «Фамилия / наименование» before «Вид лица» (as on msudrf_typeB_anadyr…_koap_in_force).
 */
export function renderCaseCardOld(world: SandboxWorld, court: SudrfCourt, c: SandboxCase, variant: CourtLayoutVariant = 'none'): string {
  if (variant === 'movement_only') return movementOnly(c);
  const uidLink = `<a style="font-size:12px;" href="/modules.php?name=sud_delo&amp;name_op=r_juid&amp;vnkod=${esc(court.code)}&amp;srv_num=1&amp;delo_id=1540005&amp;case_type=0&amp;judicial_uid=${esc(c.uid)}"><u>${esc(c.uid)}</u></a>`;
  const panes: Array<{ label: string; html: string }> = [];
  panes.push({
    label: 'ДЕЛО',
    html: `<br><table width="100%" border="0" cellspacing="0" cellpadding="3" id="tablcont">
			<tr><th colspan="2" align="center" valign="center">ДЕЛО</th></tr>
${caseRows(world, court, c, uidLink).map((r) => `			<tr>
					<td width="50%"><b>${r.label}</b></td>
					<td>${r.valueHtml}</td>
			</tr>`).join('\n')}
		</table>`,
  });
  const eventHead = ['Наименование события', 'Дата', 'Время', 'Место проведения', 'Результат события',
    'Основание для выбранного результата события', 'Примечание', 'Дата размещения'];
  panes.push({
    label: 'ДВИЖЕНИЕ ДЕЛА',
    html: `<br><table width="100%" border="0" cellpadding="3" cellspacing="0" id="tablcont"><tr><th colspan="10">ДВИЖЕНИЕ ДЕЛА</th></tr>`
      + `<tr>${eventHead.map((h) => `<td align="center"><b>${h}</b></td>`).join('')}</tr>`
      + c.events.map((e) => `<tr>${TD(e.name)}${TD(ruDate(e.date))}${TD(e.time)}${TD(e.place)}${TD(e.result)}${TD(e.basis)}${TD(e.note)}${TD(ruDate(e.publishedAt))}</tr>`).join('')
      + `</table>`,
  });
  const nameFirst = variant === 'name_first_parties';
  const partyHead = nameFirst
    ? ['Фамилия / наименование', 'Вид лица, участвующего в деле', 'ИНН', 'КПП', 'ОГРН', 'ОГРНИП']
    : ['Вид лица, участвующего в деле', 'Фамилия / наименование', 'ИНН', 'КПП', 'ОГРН', 'ОГРНИП'];
  const partiesPane = {
    label: 'СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)',
    html: `<br><table width="100%" border="0" cellpadding="3" cellspacing="0" id="tablcont"><tr><th colspan="10">СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)</th></tr>`
      + `<tr>${partyHead.map((h) => `<td align="center"><b>${h}</b></td>`).join('')}</tr>`
      + c.parties.map((p) => `<tr>${nameFirst ? TD(p.name) + TD(p.role) : TD(p.role) + TD(p.name)}${TD(p.inn)}${TD(p.kpp)}${TD(p.ogrn)}${TD(p.ogrnip)}</tr>`).join('')
      + `</table>`,
  };
  if (variant === 'panes_reordered') panes.splice(1, 0, partiesPane);
  else if (variant !== 'panes_missing') panes.push(partiesPane);
  if (c.executionDocuments.length > 0) {
    const head = ['Дата выдачи', 'Серия, номер бланка', 'Номер электронного ИД', 'Статус', 'Кому выдан / направлен'];
    panes.push({
      label: 'ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ',
      html: `<br><table width="100%" border="0" cellpadding="3" cellspacing="0" id="tablcont"><tr><th colspan="10">ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ</th></tr>`
        + `<tr>${head.map((h) => `<td align="center"><b>${h}</b></td>`).join('')}</tr>`
        + c.executionDocuments.map((d) => `<tr>${TD(ruDate(d.issuedAt))}${TD(d.seriesNumber)}${TD(d.electronicId)}${TD(d.status)}${TD(d.recipient)}</tr>`).join('')
        + `</table>`,
    });
  }
  const n = panes.length;
  const tabs = panes.map((p, i) =>
    `<li id="tab${i + 1}" class="${i === 0 ? 'sel' : 'nonsel'}"><a href="#" onclick="index(${i + 1}, ${n}); return false;">&nbsp;${p.label}&nbsp;</a></li>`).join('');
  const conts = panes.map((p, i) =>
    `	<div id="cont${i + 1}" style="display: ${i === 0 ? 'block' : 'none'}; padding: 0 15px 15px 15px;">${p.html}</div>`).join('\n');
  return `<div id="content">
	<div id="line"></div>
<div align="center" class="title">
	${esc(titleOf(c.cartoteka, court.urlForm))}</div>
<div id="line"></div>
<div align="center" class="casenumber">
	ДЕЛО № ${esc(c.displayNumber)}</div>
<ul class="tabs">${tabs}</ul>
<div class="contentt" style="padding:0; margin:0;">
${conts}
</div>
<div align="right" style="padding:5px;"><img src="images/print.gif" alt="Печать карточки" style="width: 16px; height: 16px; border: 0; cursor: pointer;"></div>
</div>`;
}

/** Only the case number and the movement pane (`div#cont2`, plain `<table>`, `th` title row), as the sanitized real card. */
function movementOnly(c: SandboxCase): string {
  const head = ['Наименование события', 'Дата', 'Время', 'Место проведения', 'Результат события', 'Основание для выбранного результата события', 'Примечание', 'Дата размещения'];
  return `<div id="content">
<div class="casenumber">ДЕЛО № ${esc(c.displayNumber)}</div>
<div id="cont2">
<table>
<tr><th colspan="8">ДВИЖЕНИЕ ДЕЛА</th></tr>
<tr>${head.map((h) => `<td>${h}</td>`).join('')}</tr>
${c.events.map((e) => `<tr>${TD(e.name)}${TD(ruDate(e.date))}${TD(e.time)}${TD(e.place)}${TD(e.result)}${TD(e.basis)}${TD(e.note)}${TD(ruDate(e.publishedAt))}</tr>`).join('\n')}
</table>
</div>
</div>`;
}
