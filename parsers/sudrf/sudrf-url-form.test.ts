import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSudrfUrlForm } from './sudrf-url.ts';

const REAL = new URL('../../../shared/fixtures/real/sudrf/search_form_captcha_cp1251_raw.html', import.meta.url);

describe('readSudrfUrlForm', () => {
  it('reads the primary form off the real search form', () => {
    let html: string;
    try { html = new TextDecoder('windows-1251').decode(readFileSync(REAL)); } catch { return; }
    expect(readSudrfUrlForm(html)).toEqual({ form: 'primary' });
  });
  it('reads the vnkod form and the court code off new-UI fields', () => {
    expect(readSudrfUrlForm('<input name="case__case_numberss"><input type="hidden" name="vnkod" value="63OS0000">')).toEqual({ form: 'vnkod', vnkod: '63OS0000' });
    expect(readSudrfUrlForm('<p>Данных по запросу не обнаружено</p>')).toBeNull();
  });
});
