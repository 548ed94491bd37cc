import { describe, expect, it } from 'vitest';
import { classifyMsudrfPage } from './page-kind.ts';
import { parseMsudrfCaseCard } from './case-card.parser.ts';

/**
 * A criminal magistrate card (type B) written by hand after the markup of the real type B cards
 * (`<td><h2>label</h2></td>`, `thead` of `<h2>` cells; case_typeB_5mo_50MS0005_5-969-2026_koap) and
 * the per-accused columns of a real sudrf criminal card (card_oldtpl_leninsky_ufa_1-151-2026): the
 * «ДЕЛО» pane has no result, the «ЛИЦА» pane carries it. Names and numbers are invented.
 */
const h2 = (cells: string[]) => `<thead><tr>${cells.map((c) => `<td><h2>${c}</h2></td>`).join('')}</tr></thead>`;
const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
const CRIMINAL = `<html><body><div class="content lawcase-content"><h2>ДЕЛО № 1-12/2026</h2>
<ul id="tabs"><li><span>ДЕЛО</span></li><li><span>ДВИЖЕНИЕ ДЕЛА</span></li><li><span>ЛИЦА</span></li><li><span>СТОРОНЫ</span></li></ul>
<div id="contentt">
<div class="tab-content"><table class="tablcont"><tbody>
${row(['<h2>Уникальный идентификатор дела</h2>', '99MS0001-01-2026-000012-34'])}
${row(['<h2>Дата поступления</h2>', '02.02.2026'])}
${row(['<h2>Судья</h2>', 'Образцов Пётр Ильич'])}
</tbody></table></div>
<div class="tab-content"><table class="tablcont">${h2(['Наименование события', 'Результат события', 'Дата события', 'Время события', 'Дата размещения'])}<tbody>
${row(['Регистрация поступившего в суд дела', '', '02.02.2026', '10:00', '03.02.2026'])}
${row(['Судебное заседание', 'Постановлен ПРИГОВОР', '20.02.2026', '11:00', '21.02.2026'])}
</tbody></table></div>
<div class="tab-content"><table class="tablcont">${h2(['Фамилия / наименование', 'Перечень статей', 'Дата рассмотрения дела в отношении лица', 'Результат в отношении лица'])}<tbody>
${row(['Пробный Иван Иванович', 'ст.158 ч.1 УК РФ', '20.02.2026', 'Вынесен ПРИГОВОР'])}
</tbody></table></div>
<div class="tab-content"><table class="tablcont">${h2(['Процессуальный статус лица, участвующего в деле', 'Лицо, участвующее в деле (ФИО, наименование)'])}<tbody>
${row(['Защитник', 'Тестовая Анна Сергеевна'])}
</tbody></table></div>
</div></div></body></html>`;

describe('parseMsudrfCaseCard — criminal card (hand-written)', () => {
  const url = 'https://1.test.msudrf.ru/modules.php?name=sud_delo&op=cs&case_id=77&delo_id=1540006';
  const r = parseMsudrfCaseCard(CRIMINAL, { url });
  it('reads the judge and the decision shown per accused', () => {
    expect(classifyMsudrfPage(CRIMINAL)).toBe('case_card');
    expect(r).toMatchObject({ caseNumber: '1-12/2026', judge: 'Образцов Пётр Ильич', registeredAt: '2026-02-02', status: 'decided' });
    expect(r.decision).toEqual({ date: '2026-02-20', result: 'Вынесен ПРИГОВОР' });
  });
  it('reads both the accused («ЛИЦА») and the other parties («СТОРОНЫ»)', () => {
    expect(r.parties.map((p) => [p.role, p.roleNorm, p.name])).toEqual([
      ['ЛИЦА', 'other', 'Пробный Иван Иванович'],
      ['Защитник', 'other', 'Тестовая Анна Сергеевна'],
    ]);
  });
});
