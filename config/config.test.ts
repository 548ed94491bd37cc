import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('gives defaults from an empty environment', () => {
    const c = loadConfig({});
    expect(c.robot.concurrency).toBe(16);
    expect(c.robot.modes['court-sudrf']).toBe('http');
    expect(c.targets.hosts).toContain('*.sudrf.ru');
    expect(c.redis.url).toBeUndefined();
    expect(Object.isFrozen(c.politeness)).toBe(true);
  });

  it('parses per-host politeness overrides', () => {
    const c = loadConfig({ POLITENESS_HOSTS: 'a.sudrf.ru=2/1, b--spb.sudrf.ru=0.5/3' });
    expect(c.politeness.hosts).toEqual({ 'a.sudrf.ru': { rps: 2, concurrency: 1 }, 'b--spb.sudrf.ru': { rps: 0.5, concurrency: 3 } });
  });

  it('names every bad variable at once', () => {
    let caught: unknown;
    try {
      loadConfig({ ROBOT_CONCURRENCY: 'many', MONGODB_URI: 'http://x', POLITENESS_HOSTS: 'oops', COURT_SUDRF_MODE: 'fax' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['ROBOT_CONCURRENCY', 'MONGODB_URI', 'POLITENESS_HOSTS', 'COURT_SUDRF_MODE']) expect(problems).toContain(name);
  });
});
