/**
 * A real forward proxy (proxy-chain, which Crawlee itself uses) for the egress tests: it leaves from
 * `egressAddress` (so the sandbox sees which proxy a request came through), counts the target hosts
 * it was asked for, answers 407 to everyone when `refuse`, and may resolve names itself (`dnsLookup`,
 * as a proxy host's hosts file would: a browser hands the target name to its proxy unresolved).
 */
import type { lookup } from 'node:dns';
import { Server as ProxyServer } from 'proxy-chain';

export interface TestProxy {
  /** With credentials, as PROXY_URLS takes it. */
  url: string;
  /** Requests (CONNECT tunnels and plain) that reached this proxy, by target host. */
  seen: string[];
  /** Headers of plain (not tunnelled) requests, as the proxy received them: what the target sees. */
  headers: Array<{ host: string; userAgent: string; acceptLanguage: string }>;
  close(): Promise<void>;
}

export async function startTestProxy(options: { egressAddress: string; refuse?: boolean; dnsLookup?: typeof lookup }): Promise<TestProxy> {
  const seen: string[] = [];
  const headers: TestProxy['headers'] = [];
  const server = new ProxyServer({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ hostname, request, isHttp }: { hostname: string; request: { headers: NodeJS.Dict<string | string[]> }; isHttp: boolean }) => {
      seen.push(hostname);
      if (isHttp) headers.push({ host: hostname, userAgent: String(request.headers['user-agent'] ?? ''), acceptLanguage: String(request.headers['accept-language'] ?? '') });
      if (options.refuse) return { requestAuthentication: true, failMsg: 'bad credentials' };
      return options.dnsLookup ? { localAddress: options.egressAddress, dnsLookup: options.dnsLookup } : { localAddress: options.egressAddress };
    },
  });
  await server.listen();
  return { url: `http://user:pass@127.0.0.1:${server.port}`, seen, headers, close: () => server.close(true) };
}
