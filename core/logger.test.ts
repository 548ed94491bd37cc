import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('logger', () => {
  it('redacts secrets, cookies and personal data, and keeps case numbers', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger({ level: 'info', destination });
    log.child({ jobId: 'j1' }).info(
      {
        input: { court: 'a.sudrf.ru', number: '2-1/2025', name: 'Иванов Иван Иванович' },
        party: { name: 'Петрова Анна Сергеевна', birthDate: '1980-01-02', address: 'г. Уфа, ул. Ленина, 1' },
        headers: { cookie: 'PHPSESSID=secret' },
        password: 'hunter2',
      },
      'step',
    );
    const out = lines.join('');
    for (const secret of ['Иванов', 'Петрова', '1980-01-02', 'Ленина', 'PHPSESSID', 'hunter2']) expect(out).not.toContain(secret);
    expect(out).toContain('2-1/2025');
    expect(out).toContain('a.sudrf.ru');
  });
});
