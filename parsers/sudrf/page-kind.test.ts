import { describe, expect, it } from 'vitest';
import { classifySudrfPage, extractSudrfCaptcha, readSudrfServerChoices } from './page-kind.ts';
import { captchaForm, newCard, newResults, oldCard, oldResults } from './testing/synthetic-pages.ts';

const page = (body: string) => `<html><body>${body}</body></html>`;
const SERVER_CHOICE = `<h3>Выберите сервер</h3><ul>
<li><a href="/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=sf&amp;delo_id=1540005">Сервер 1 (Гражданские дела)</a></li>
<li><a href="/modules.php?name=sud_delo&amp;srv_num=2&amp;name_op=sf&amp;delo_id=1540005">Сервер 2</a></li>
<li><a href="/modules.php?name=sud_delo&amp;srv_num=2&amp;name_op=sf&amp;delo_id=1540005">Сервер 2 (копия ссылки)</a></li>
<li><a href="/modules.php?name=sud_delo&amp;srv_num=x">битая ссылка</a></li></ul>`;

describe('classifySudrfPage', () => {
  it.each([
    ['old card', oldCard(), 'case_card'],
    ['new card', newCard(), 'case_card'],
    ['old results', oldResults(), 'search_results'],
    ['new results', newResults(), 'search_results'],
    ['empty', page('<form id="calform"></form>Данных по запросу не обнаружено'), 'search_empty'],
    ['zero total', page('<div class="lawcase-count">Всего по запросу найдено - <b>0</b>.</div>'), 'search_empty'],
    ['captcha form', captchaForm(), 'captcha'],
    ['wrong code', page("<div align='center' id='error'>Неверно указан проверочный код с картинки.<br><a>Вернуться на форму поиска</a></div>"), 'captcha_wrong'],
    ['geo block', page('Этот запрос заблокирован по соображениям безопасности (G). Ваш ip: 192.0.2.1'), 'geo_block'],
    ['maintenance', page('Сайт временно недоступен, ведутся технические работы'), 'maintenance'],
    // Hand-written after the wording of issue 14 (no real page of these kinds is saved).
    ['anti-bruteforce', page('<main>Информация временно недоступна. Попробуйте обратиться позже.</main>'), 'rate_limited'],
    ['server choice', page(SERVER_CHOICE), 'server_choice'],
    ['«Выберите сервер» without server links', page('<p>Выберите сервер</p>'), 'unknown'],
    ['other', page('<p>Новости суда</p>'), 'unknown'],
  ] as const)('%s → %s', (_name, html, kind) => expect(classifySudrfPage(html)).toBe(kind));

  it('does not take a captcha id inside an encoded link for a captcha form', () => {
    expect(classifySudrfPage(page('<a href="/x?u=%26captchaid%3Dabc">версия для слабовидящих</a>'))).toBe('unknown');
  });
});

describe('extractSudrfCaptcha', () => {
  it('reads the image (space after «data:», line breaks) and the id', () => {
    expect(extractSudrfCaptcha(captchaForm())).toEqual({ imageBase64: 'iVBORw0KGgoAAAANSUhEUg==', captchaId: 'testcaptchaid01' });
  });
  it('is null without a captcha', () => {
    expect(extractSudrfCaptcha(oldCard())).toBeNull();
  });
});

describe('readSudrfServerChoices', () => {
  it('lists each linked srv_num once, in page order, with absolute links', () => {
    expect(readSudrfServerChoices(page(SERVER_CHOICE), 'https://court.sudrf.ru/modules.php?name=sud_delo')).toEqual([
      { srvNum: 1, url: 'https://court.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005', name: 'Сервер 1 (Гражданские дела)' },
      { srvNum: 2, url: 'https://court.sudrf.ru/modules.php?name=sud_delo&srv_num=2&name_op=sf&delo_id=1540005', name: 'Сервер 2' },
    ]);
  });
});
