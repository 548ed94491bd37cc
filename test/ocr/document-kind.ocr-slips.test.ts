/** Kinds of FSSP documents from OCR text whose title prepositions were misread (seen on sandbox scans). */
import { describe, expect, it } from 'vitest';
import { classifyDocument } from '../../parsers/document/index.ts';

const title = (line: string) => `ФЕДЕРАЛЬНАЯ СЛУЖБА СУДЕБНЫХ ПРИСТАВОВ\nПОСТАНОВЛЕНИЕ\n${line}\n02.01.2026 № 02016/26/161615\nСудебный пристав-исполнитель ИВАНОВ И. И., рассмотрев материалы исполнительного производства`;

describe('classifyDocument on OCR slips', () => {
  it.each([
    ['00 окончании исполнительного производства', 'ip_ended'],
    ['о6 окончании исполнительного производства', 'ip_ended'],
    ['0 возбуждении исполнительного производства', 'ip_opened'],
    ['06 отказе в удовлетворении заявления (ходатайства)', 'motion_refused'],
    ['06 удовлетворении заявления (ходатайства)', 'motion_granted'],
  ])('%s → %s', (line, kind) => {
    expect(classifyDocument(title(line))).toBe(kind);
  });

  it('does not take a body mention of ending for the title', () => {
    const text = `${title('о ходе исполнительного производства')}\nдо окончании исполнительного производства`.replace('ПОСТАНОВЛЕНИЕ\n', 'УВЕДОМЛЕНИЕ\n');
    expect(classifyDocument(text)).not.toBe('ip_ended');
  });
});
