import { ForbiddenTargetError } from '../../core/errors.ts';

export interface TargetRouterOptions {
  /** Allowed host patterns; `*.example.ru` matches any subdomain (not the apex). */
  hosts: readonly string[];
  /** When set, every allowed host is served by this origin (the sandbox) over plain HTTP. */
  sandboxOrigin?: string;
}

/**
 * Decides where a robot may go and how to reach it. Robots only navigate to configured target
 * hosts; in sandbox mode those hosts resolve to the sandbox's address and keep their names in the
 * Host header, so pages, links and cookies look as they do on the real sites.
 */
export class TargetRouter {
  private readonly patterns: RegExp[];
  private readonly sandbox: URL | undefined;

  constructor(readonly options: TargetRouterOptions) {
    this.patterns = options.hosts.map((pattern) => {
      const p = pattern.trim().toLowerCase();
      const wildcard = p.startsWith('*.');
      const literal = (wildcard ? p.slice(2) : p).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`^${wildcard ? '(?:[a-z0-9-]+\\.)+' : ''}${literal}$`);
    });
    this.sandbox = options.sandboxOrigin ? new URL(options.sandboxOrigin) : undefined;
  }

  get isSandbox(): boolean {
    return this.sandbox !== undefined;
  }

  isAllowed(host: string): boolean {
    const h = host.toLowerCase().replace(/:\d+$/, '');
    return this.patterns.some((re) => re.test(h));
  }

  /** Throws ForbiddenTargetError unless the URL's host is a configured target. */
  assertAllowed(url: string | URL): URL {
    const u = typeof url === 'string' ? new URL(url) : url;
    if (!['http:', 'https:'].includes(u.protocol) || !this.isAllowed(u.hostname)) {
      throw new ForbiddenTargetError(`refusing ${u.protocol}//${u.hostname}: not a configured target host`, { url: `${u.protocol}//${u.hostname}` });
    }
    // In sandbox mode target hosts resolve to the sandbox's address: any other port there (Redis,
    // MongoDB, the API on 127.0.0.1) would be an internal service, not a target.
    if (this.sandbox && (u.port || '80') !== (this.sandbox.port || '80')) {
      throw new ForbiddenTargetError(`refusing ${u.protocol}//${u.hostname}:${u.port}: not the sandbox port`, { url: `${u.protocol}//${u.hostname}:${u.port}` });
    }
    return u;
  }

  /** The URL of `pathAndQuery` on `host`: https on the real site, the sandbox port in sandbox mode. */
  urlFor(host: string, pathAndQuery: string): string {
    const h = host.toLowerCase();
    const base = this.sandbox ? `http://${h}:${this.sandbox.port || 80}` : `https://${h}`;
    return this.assertAllowed(base + pathAndQuery).toString();
  }

  /** Address to connect to for `host`, or null for normal DNS. */
  addressFor(host: string): string | null {
    if (!this.sandbox) return null;
    return this.isAllowed(host) ? this.sandbox.hostname : null;
  }

  /** Chromium `--host-resolver-rules` value that sends target hosts to the sandbox. */
  chromiumResolverRules(): string | undefined {
    if (!this.sandbox) return undefined;
    return this.options.hosts.map((p) => `MAP ${p} ${this.sandbox!.hostname}`).join(',');
  }
}
