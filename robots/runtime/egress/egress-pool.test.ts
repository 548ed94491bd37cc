/**
 * The egress pool's sessions and their fingerprints, without a network (no request is sent):
 * one live session per proxy, one fingerprint per session whose HTTP headers are the ones its
 * browser sends, and a session replacing a retired one on a proxy that a site tells apart from it.
 * The traffic itself is tested through real proxies in test/egress/.
 */
import { describe, expect, it } from 'vitest';
import { EgressPool } from './egress-pool.ts';
import { fingerprintSignature, headerIdentity, RU_ACCEPT_LANGUAGE } from './fingerprints.ts';

const pool = (proxyUrls: string[]) => new EgressPool({ proxyUrls, pools: {}, restSecs: 60, perProxyConcurrency: 4, browserVersion: '156.0.8078.114' });

describe('EgressPool sessions', () => {
  it('a proxy has one live session: every job on it gets that session and its one fingerprint', async () => {
    const egress = pool(['http://u:p@10.0.0.1:3128']);
    try {
      const first = await egress.sessionFor('oktyabrsky--ufa.sudrf.ru');
      for (let i = 0; i < 5; i++) {
        const again = await egress.sessionFor('oktyabrsky--ufa.sudrf.ru');
        expect(again.crawlee?.id).toBe(first.crawlee?.id);
        expect(again.fingerprint).toBe(first.fingerprint);
        expect(again.headers).toEqual(first.headers);
      }
    } finally {
      await egress.close();
    }
  });

  it('the HTTP headers are the fingerprint\'s: its user agent and client hints, Accept-Language ru, nothing per request', async () => {
    const egress = pool(['http://u:p@10.0.0.1:3128']);
    try {
      const s = await egress.sessionFor('mirsud.spb.ru');
      expect(s.headers['user-agent']).toBe(s.fingerprint.fingerprint.navigator.userAgent);
      expect(s.headers['user-agent']).toMatch(/Chrome\/156\.0\.0\.0 Safari\/537\.36$/);
      expect(s.headers['sec-ch-ua']).toContain('"Chromium";v="156"');
      expect(s.headers['sec-ch-ua-platform']).toBe(/Windows/.test(s.headers['user-agent']!) ? '"Windows"' : '"Linux"');
      expect(s.headers['accept-language']).toBe(RU_ACCEPT_LANGUAGE);
      for (const h of ['accept-encoding', 'connection', 'host', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'sec-fetch-user']) expect(s.headers).not.toHaveProperty(h);
    } finally {
      await egress.close();
    }
  });

  it('a session replacing a retired one on the same proxy never repeats its user agent and client hints', async () => {
    // The clock moves 5 s a reading and the proxy rests 1 s: it is back for each next session.
    const egress = new EgressPool({ proxyUrls: ['http://u:p@10.0.0.1:3128'], pools: {}, restSecs: 1, perProxyConcurrency: 4, browserVersion: '156.0.8078.114', now: (() => { let t = 0; return () => (t += 5000); })() });
    try {
      let previous = await egress.sessionFor('is.fssp.gov.ru');
      for (let i = 0; i < 8; i++) {
        egress.retire(previous, 'test');
        const next = await egress.sessionFor('is.fssp.gov.ru');
        expect(next.crawlee?.id).not.toBe(previous.crawlee?.id);
        expect(next.proxyUrl).toBe(previous.proxyUrl);
        expect(headerIdentity(next.fingerprint)).not.toBe(headerIdentity(previous.fingerprint));
        previous = next;
      }
    } finally {
      await egress.close();
    }
  });

  it('two proxies get a session each, with fingerprints that differ', async () => {
    const egress = pool(['http://u:p@10.0.0.1:3128', 'http://u:p@10.0.0.2:3128']);
    try {
      const byProxy = new Map<string, string>();
      for (let i = 0; i < 12; i++) {
        const s = await egress.sessionFor('oktyabrsky--ufa.sudrf.ru');
        const seen = fingerprintSignature(s.fingerprint);
        expect(byProxy.get(s.proxyUrl!) ?? seen).toBe(seen);
        byProxy.set(s.proxyUrl!, seen);
      }
      expect(byProxy.size).toBe(2);
      expect(new Set(byProxy.values()).size).toBe(2);
    } finally {
      await egress.close();
    }
  });
});
