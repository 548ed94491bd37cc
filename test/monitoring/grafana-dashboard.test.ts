/**
 * The Grafana dashboard (deploy/grafana) and the alert rules name only series the farm serves, every
 * panel query is PromQL promtool accepts, and every series an alert watches has a panel.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { enableProcessMetrics, metricsRegistry } from '../../core/metrics.ts';
import { RULES_FILE, promtool, promtoolPath } from './promtool.ts';

const DASHBOARD = path.resolve(import.meta.dirname, '../../deploy/grafana/konveyer-farm.dashboard.json');
interface Panel { type: string; title: string; targets?: Array<{ expr: string }> }
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Panel[] };
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** konveyer_* series a PromQL text names, histogram/summary suffixes folded to the metric. */
const seriesIn = (expr: string) => [...expr.matchAll(/\bkonveyer_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
const served = () => {
  enableProcessMetrics();
  return new Set(metricsRegistry.getMetricsAsArray().map((m) => m.name));
};

describe('Grafana dashboard', () => {
  it('has panels with queries', () => {
    expect(dashboard.uid).toBe('konveyer-farm');
    expect(queries.length).toBeGreaterThan(15);
  });

  it('names only series the farm serves (dashboard and alert rules)', () => {
    const names = served();
    const unknown = [...queries.flatMap((q) => seriesIn(q.expr)), ...seriesIn(readFileSync(RULES_FILE, 'utf8'))].filter((s) => !names.has(s));
    expect(unknown).toEqual([]);
  });

  it('shows every series an alert rule watches', () => {
    const shown = new Set(queries.flatMap((q) => seriesIn(q.expr)));
    const watched = new Set(seriesIn(readFileSync(RULES_FILE, 'utf8')));
    expect([...watched].filter((s) => !shown.has(s))).toEqual([]);
    expect(watched.size).toBeGreaterThanOrEqual(8);
  });

  it.skipIf(!promtoolPath())('has panel queries promtool parses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'konveyer-grafana-'));
    const file = path.join(dir, 'panels.rules.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'panels', rules: queries.map((q, i) => ({ record: `konveyer:panel_${i}`, expr: q.expr })) }] }));
    const r = await promtool(['check', 'rules', file]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${queries.length} rules found`);
  });
});
