/** Real HTTP requests with the path sent byte for byte (no URL normalisation), for the auth tests. */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request to `base` (http://host:port) with `path` exactly as given. */
export function rawRequest(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` part of a `Set-Cookie` answer for `name`, or null. */
export function cookieFrom(res: RawResponse, name: string): { pair: string; attributes: string } | null {
  for (const line of [res.headers['set-cookie'] ?? []].flat()) {
    const [pair, ...attrs] = line.split(';');
    if (pair!.trim().startsWith(`${name}=`) && pair!.trim() !== `${name}=`) return { pair: pair!.trim(), attributes: attrs.join(';') };
  }
  return null;
}
