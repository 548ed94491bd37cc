import { describe, expect, it } from 'vitest';
import { MAX_SRV_NUM, ServerQueue } from './flow.ts';

describe('ServerQueue', () => {
  it('tries servers 1…MAX_SRV_NUM in order', () => {
    const q = new ServerQueue();
    const seen: number[] = [];
    for (let n = q.next(); n !== null; n = q.next()) seen.push(n);
    expect(seen).toEqual(Array.from({ length: MAX_SRV_NUM }, (_v, i) => i + 1));
  });
  it('follows a server-choice landing: only the linked servers not yet tried, beyond MAX_SRV_NUM too', () => {
    const q = new ServerQueue();
    expect(q.next()).toBe(1);
    expect(q.follow([{ srvNum: 1 }, { srvNum: 4 }, { srvNum: 2 }, { srvNum: 4 }])).toBe(true);
    expect([q.next(), q.next(), q.next()]).toEqual([4, 2, null]);
  });
  it('says so when the landing links to no untried server', () => {
    const q = new ServerQueue();
    q.next();
    expect(q.follow([{ srvNum: 1 }])).toBe(false);
    expect(q.next()).toBeNull();
  });
});
