/**
 * Runs Debian's `promtool` (package `prometheus`) on the farm's alert rules, and turns a real
 * `/metrics` scrape into the input of `promtool test rules`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';

const run = promisify(execFile);

export const RULES_FILE = path.resolve(import.meta.dirname, '../../deploy/prometheus/konveyer-alerts.rules.yml');

/** The promtool binary, or null when it is not installed. */
export function promtoolPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'promtool');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Runs promtool; resolves with its exit code and output (never rejects on a non-zero exit). */
export async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(promtoolPath() ?? 'promtool', args, { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/**
 * One scrape in Prometheus text format → promtool input series: every sample held constant over
 * `minutes` (one a minute), except `*_timestamp_seconds` gauges, which keep their age: at
 * promtool's time t the value is t − (scrape time − value), so `time() - x` is what it was live.
 */
export function scrapeToSeries(text: string, scrapedAtSecs: number, minutes: number): Array<{ series: string; values: string }> {
  const out: Array<{ series: string; values: string }> = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?)\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, series, raw] = m as unknown as [string, string, string];
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const name = series.replace(/\{.*$/, '');
    out.push({ series, values: name.endsWith('_timestamp_seconds') ? `${value - scrapedAtSecs}+60x${minutes}` : `${value}x${minutes}` });
  }
  return out;
}

/** What an alert of the rules file says for these labels: its own labels and its annotations with `{{ $labels.x }}` filled in. */
export function expectedAlert(alertname: string, labels: Record<string, string>): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  const rules = (parse(readRules()) as { groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }> }).groups.flatMap((g) => g.rules);
  const rule = rules.find((r) => r.alert === alertname);
  if (!rule) throw new Error(`no alert ${alertname} in ${RULES_FILE}`);
  const fill = (s: string) => s.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_m, k: string) => labels[k] ?? '');
  return {
    exp_labels: { ...rule.labels, ...labels },
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, fill(v)])),
  };
}

/** The names of every alert in the rules file. */
export function alertNames(): string[] {
  return (parse(readRules()) as { groups: Array<{ rules: Array<{ alert?: string }> }> }).groups.flatMap((g) => g.rules.map((r) => r.alert).filter((a): a is string => Boolean(a)));
}

let rulesText: string | null = null;
function readRules(): string {
  return (rulesText ??= readFileSync(RULES_FILE, 'utf8'));
}

/**
 * Writes a `promtool test rules` file: the scrape's series, and at `evalMins` the alerts expected
 * to fire (name → label sets); every other alert of the rules file is expected silent.
 */
export function writeRuleTest(series: Array<{ series: string; values: string }>, evalMins: number, firing: Record<string, Array<Record<string, string>>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'konveyer-promtool-'));
  const file = path.join(dir, 'test.yml');
  const doc = {
    rule_files: [RULES_FILE],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series,
        alert_rule_test: alertNames().map((alertname) => ({ eval_time: `${evalMins}m`, alertname, exp_alerts: (firing[alertname] ?? []).map((l) => expectedAlert(alertname, l)) })),
      },
    ],
  };
  writeFileSync(file, stringify(doc));
  return file;
}
