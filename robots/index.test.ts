import { describe, expect, it } from 'vitest';
import { INPUT_SCHEMAS } from '../queues/payloads.ts';
import { ROBOT_JOB_NAMES } from '../queues/names.ts';
import { ROBOTS } from './index.ts';

describe('the robot list', () => {
  it('has a robot for every robot job name and none for another job', () => {
    expect(new Set(ROBOTS.map((r) => r.job))).toEqual(new Set(ROBOT_JOB_NAMES));
  });

  it('declares each robot with the input schema submit validates its job with, one target per job, a default mode', () => {
    for (const r of ROBOTS) {
      expect(r.input, `${r.job} ${r.target}`).toBe(INPUT_SCHEMAS[r.job]);
      expect(r.modes.length).toBeGreaterThan(0);
    }
    const keys = ROBOTS.map((r) => `${r.job} ${r.target}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names a parser (name and semver version) for every robot that stores parsed records', () => {
    for (const r of ROBOTS.filter((x) => x.stores.some((s) => s !== 'lookups' && s !== 'epgu_requests'))) {
      expect(r.parser, `${r.job} ${r.target}`).not.toBeNull();
      expect(r.parser!.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('serves court.case by court host: one robot per portal, in the order their hosts are told apart', () => {
    const of = (court: string) => ROBOTS.filter((r) => r.job === 'court.case').find((r) => r.handles!({ court } as never))?.target;
    expect(of('oktyabrsky--bkr.sudrf.ru')).toBe('court-sudrf');
    expect(of('5.mo.msudrf.ru')).toBe('court-msudrf');
    expect(of('mirsud.spb.ru')).toBe('court-mirsud-spb');
    expect(of('mos-sud.ru')).toBe('court-mos-sud');
    expect(of('example.org')).toBeUndefined();
  });
});
