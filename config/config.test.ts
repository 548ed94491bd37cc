import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';
import { envSchema, settings, settingsOf } from './schema.ts';

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

  it('reads the metrics listener, its token and the UI origins and login lifetime', () => {
    const d = loadConfig({});
    expect(d.metrics).toEqual({ port: 0, host: '0.0.0.0', token: undefined });
    expect(d.ui).toEqual({ publicOrigins: [], sessionHours: 8 });
    const c = loadConfig({ METRICS_PORT: '9100', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: 'x'.repeat(32), API_PUBLIC_ORIGINS: 'https://farm.example.ru, https://ops.example.ru', UI_SESSION_HOURS: '2' });
    expect(c.metrics).toEqual({ port: 9100, host: '10.0.0.5', token: 'x'.repeat(32) });
    expect(c.ui).toEqual({ publicOrigins: ['https://farm.example.ru', 'https://ops.example.ru'], sessionHours: 2 });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('reads the OCR render DPI and page segmentation mode, and refuses a mode the engine does not offer', () => {
    const d = loadConfig({});
    expect(d.ocr).toMatchObject({ renderDpi: 300, pageSegMode: '6' });
    expect(loadConfig({ OCR_RENDER_DPI: '200', OCR_PAGE_SEG_MODE: '4' }).ocr).toMatchObject({ renderDpi: 200, pageSegMode: '4' });
    expect(() => loadConfig({ OCR_PAGE_SEG_MODE: '7' })).toThrow(/OCR_PAGE_SEG_MODE/);
    expect(() => loadConfig({ OCR_RENDER_DPI: '50' })).toThrow(/OCR_RENDER_DPI/);
  });
});


describe('account lists (EPGU_ACCOUNTS, POST_TRACKING_ACCOUNTS)', () => {
  it('reads the JSON arrays, blank is none, and a bad one names the variable without echoing the value', () => {
    const config = loadConfig({
      EPGU_ACCOUNTS: '[{"id":"acc1","login":"+79990000000","password":"pw-1","totpSecret":"JBSWY3DPEHPK3PXP"}]',
      POST_TRACKING_ACCOUNTS: '[{"id":"main","login":"tracker","password":"pw-2"}]',
    });
    expect(config.epgu.accounts).toEqual([{ id: 'acc1', login: '+79990000000', password: 'pw-1', totpSecret: 'JBSWY3DPEHPK3PXP' }]);
    expect(loadConfig({ EPGU_ACCOUNTS: ' ' }).epgu.accounts).toEqual([]);
    expect(() => loadConfig({ POST_TRACKING_ACCOUNTS: '[{"id":"main","login":"tracker","password":"secret-pw","totpSecret":"X"}]' })).toThrow(/POST_TRACKING_ACCOUNTS: 0 /);
    expect(() => loadConfig({ POST_TRACKING_ACCOUNTS: '[{"id":"main","login":"tracker","password":"secret-pw","totpSecret":"X"}]' })).not.toThrow(/secret-pw/);
    expect(() => loadConfig({ EPGU_ACCOUNTS: 'not json secret-pw' })).toThrow(/EPGU_ACCOUNTS must be a JSON array of \{id, login, password, totpSecret\?\}/);
  });
});

describe('settings (config/schema.ts)', () => {
  it('reads each variable into one place only, and every variable has a place', () => {
    const envs = settingsOf(settings).map((s) => s.setting.env);
    expect(envs.filter((e, i) => envs.indexOf(e) !== i)).toEqual([]);
    expect(Object.keys(envSchema.shape).sort()).toEqual([...envs].sort());
  });

  it('puts a variable where the tree says, with the unit the setting names', () => {
    const c = loadConfig({ RUCAPTCHA_TIMEOUT_SECS: '30', CAPTCHA_TASK_TTL_SECS: '60', CHROMIUM_PATH: '', API_HOST: '10.1.2.3', REDIS_CLUSTER_NODES: 'h:7000', QUEUE_PREFIX: 'farm' });
    expect(c.captcha.rucaptcha.timeoutMs).toBe(30_000);
    expect(c.captcha.operator.taskTtlMs).toBe(60_000);
    expect(c.browser.executablePath).toBeUndefined();
    // METRICS_HOST unset: the API's address; a cluster prefix gets a hash tag.
    expect(c.metrics.host).toBe('10.1.2.3');
    expect(c.queue.prefix).toBe('{farm}');
  });
});
