import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactQuery, serializeRequest } from './logger.ts';

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

  it('request lines: route pattern, query values redacted (enum keys kept), unmatched paths not logged', () => {
    expect(redactQuery('/audit?debtor=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&limit=50&status=failed')).toBe('debtor=[redacted]&limit=50&status=failed');
    expect(redactQuery('/x?limit=%D0%98%D0%B2')).toBe('limit=[redacted]');
    expect(redactQuery('/x?%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2=1')).toBe('[key]=[redacted]');
    expect(redactQuery('/x')).toBeNull();
    expect(serializeRequest({ method: 'GET', url: '/v1/lookups/2-1%2F2025?number=2-1', routeOptions: { url: '/v1/lookups/:id' }, ip: '10.0.0.1' })).toEqual({
      method: 'GET', route: '/v1/lookups/:id', query: 'number=[redacted]', remoteAddress: '10.0.0.1',
    });
    expect(serializeRequest({ method: 'GET', url: '/%D0%98/x', is404: true, routeOptions: { url: undefined } })).toMatchObject({ route: null, unmatched: true, query: null });
  });
});
