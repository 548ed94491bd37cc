/**
 * Repairs of the slips OCR makes on FSSP documents, before field rules run: Latin look-alikes in
 * Cyrillic words («ПОСТAНОВЛЕНИЕ»), letters in numbers («2О25», «О2016»), odd quotes and dashes,
 * spaces around «/» and «.» inside numbers and dates. Pure; the text layer passes through unchanged
 * except for whitespace.
 */

const LATIN_TO_CYRILLIC: Record<string, string> = {
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
  a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', u: 'и', n: 'п', r: 'г',
};
/** Letters OCR reads for digits inside a number. */
const LETTER_TO_DIGIT: Record<string, string> = {
  О: '0', о: '0', O: '0', o: '0', D: '0', З: '3', з: '3', б: '6', Б: '6', l: '1', I: '1', '|': '1', i: '1', S: '5', s: '5', B: '8', В: '8', Z: '2', z: '2', g: '9', q: '9',
};
const DIGITISH = '[0-9ОоOoDЗзбБlI|iSsBВZzgq]';

/** A word with at least one Cyrillic letter gets its Latin look-alikes replaced. */
function fixMixedWord(word: string): string {
  if (!/[а-яё]/i.test(word) || !/[a-z]/i.test(word)) return word;
  return word.replace(/[A-Za-z]/g, (ch) => LATIN_TO_CYRILLIC[ch] ?? ch);
}

/**
 * In a Cyrillic line, a short all-look-alike Latin token is a slip too: initials «Т. A.», «C.C.»,
 * the preposition «B», a house letter «30a». Longer Latin words (PDF, e-mail) stay.
 */
function fixLatinToken(word: string, cyrillicLine: boolean): string {
  if (!cyrillicLine) return word;
  if (/^py[б6]\.?[,;]?$/.test(word)) return word.replace(/^py[б6]/, 'руб');
  if (/^(?:[ABCEHKMOPTXY]\.?){1,3}[,.;:]?$/.test(word) || /^[aceopxynkmur]{1,3}[,.;:]?$/.test(word)) return word.replace(/[A-Za-z]/g, (ch) => LATIN_TO_CYRILLIC[ch] ?? ch);
  // «A76-31542/2024»: a look-alike letter glued to digits (arbitration case numbers start with «А»).
  if (/^[ABCEHKMOPTXY]\d/.test(word)) return (LATIN_TO_CYRILLIC[word[0]!] ?? word[0]) + word.slice(1);
  const house = /^(\d+)([aceopxy])([,.;:]?)$/.exec(word);
  return house ? `${house[1]}${LATIN_TO_CYRILLIC[house[2]!]}${house[3]}` : word;
}

/** Inside a run of digits, look-alike letters become digits («2О25» → «2025», «О2016» → «02016»). */
function fixDigitRuns(text: string): string {
  // A token of digits and look-alikes with at least two real digits, bounded by non-letters.
  const re = new RegExp(`(?<![\\p{L}])(?=${DIGITISH}*\\d${DIGITISH}*\\d)${DIGITISH}{3,}(?![\\p{L}])`, 'gu');
  const toDigits = (run: string) => run.replace(/[^0-9]/g, (ch) => LETTER_TO_DIGIT[ch] ?? ch);
  // Date-shaped tokens «2б.О2.2025» first: their parts are too short for the run rule.
  const date = new RegExp(`(?<![\\p{L}\\d])(${DIGITISH}{2}) ?[.,] ?(${DIGITISH}{2}) ?[.,] ?(${DIGITISH}{4})(?![\\p{L}\\d])`, 'gu');
  const dated = text.replace(date, (whole, d: string, m: string, y: string) =>
    (whole.match(/\d/g)?.length ?? 0) >= 5 ? `${toDigits(d)}.${toDigits(m)}.${toDigits(y)}` : whole);
  return dated.replace(re, toDigits);
}

/**
 * The text with OCR slips repaired and whitespace collapsed within lines (line breaks kept).
 * @example normalizeOcrText('ПОСТAНОВЛЕНИЕ № 54237 / 25 / О2016-ИП') // 'ПОСТАНОВЛЕНИЕ № 54237/25/02016-ИП'
 */
export function normalizeOcrText(text: string): string {
  let t = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u202f\u2009\u2007\t]/g, ' ')
    .replace(/[“”„″‟]/g, '"')
    .replace(/[‘’‚′]/g, "'")
    .replace(/[‐‑‒–]/g, '-')
    .replace(/[ ]+/g, ' ');
  // «II» is how OCR reads a serif «П» («II. И.», «IIРИСТАВ»).
  t = t.replace(/II(?=\. ?[А-ЯЁ]\.)/g, 'П').replace(/II(?=[А-ЯЁ])|(?<=[А-ЯЁ])II/g, 'П');
  t = t.split('\n').map((line) => {
    const cyrillic = (line.match(/[а-яё]/gi)?.length ?? 0) >= 3;
    return line.trim().split(' ').map((w) => fixLatinToken(fixMixedWord(w), cyrillic)).join(' ');
  }).join('\n');
  // The preposition «об» read as digits («06 окончании», «0б удовлетворении»).
  t = t.replace(/(^|[\s(])[0Оо][6б](?= [а-яё])/gmu, '$1об');
  // A look-alike letter after «ст.», «ч.», «п.» is a digit («п. З ч. 1» → «п. 3 ч. 1»).
  // «п. Зч. 1» — the digit read as a letter and glued to the next abbreviation.
  t = t.replace(/(?<![\p{L}])(п|ч)\. ?([0-9ЗзбОоlI])(?=(?:ч|ст)\.)/gu, (_, k: string, d: string) => `${k}. ${LETTER_TO_DIGIT[d] ?? d} `);
  t = t.replace(/(?<![\p{L}])(ст|ч|п)\. ?([ЗзбОоlI])(?![\p{L}\d])/gu, (_, k: string, d: string) => `${k}. ${LETTER_TO_DIGIT[d] ?? d}`);
  t = fixDigitRuns(t);
  // «54237 / 25 / 02016 - ИП» and «26. 02.2025» → joined (OCR splits at punctuation).
  t = t.replace(/(\d) ?\/ ?(?=\d)/g, '$1/').replace(/(\d) ?- ?(?=(ИП|IP|СД|СВ)(?![\p{L}]))/gu, '$1-');
  t = t.replace(/\b(\d{2}) ?[.,] ?(\d{2}) ?[.,] ?(\d{4})\b/g, '$1.$2.$3');
  return t;
}
