/**
 * A minimal HTTP client for sandbox tests: connects to the sandbox port while sending the court's
 * Host header (as robots do), and decodes windows-1251 bodies.
 */
import http from 'node:http';
import iconv from 'iconv-lite';

/** A decoded answer. */
export interface SandboxAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body decoded as windows-1251 (or UTF-8 when the header says so). */
  text: string;
}

/** GET `pathAndQuery` from the sandbox at `port` as virtual host `host`. */
export function getAs(port: number, host: string, pathAndQuery: string, method = 'GET', body?: string): Promise<SandboxAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, method, headers: { host: `${host}:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const utf8 = /utf-8/i.test(String(res.headers['content-type'] ?? ''));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: utf8 ? buf.toString('utf8') : iconv.decode(buf, 'win1251') });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}
