import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyContextConfig, FastifyInstance, FastifyPluginAsync } from 'fastify';
import { SERIES_RANGES, type FarmSeriesSource, type SeriesRange } from './farm-charts.ts';
import { CHARTS_SCRIPT, chartsPage } from './charts.views.ts';

export interface ChartRoutesOptions {
  source: FarmSeriesSource;
  /** Route config of the dashboard (scope `ops`, its login session). */
  config: FastifyContextConfig;
}

const isRange = (v: unknown): v is SeriesRange => typeof v === 'string' && Object.hasOwn(SERIES_RANGES, v);

/** uPlot's browser build and stylesheet from node_modules, read once. */
function uplotAssets(): { js: string; css: string } {
  const require = createRequire(import.meta.url);
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/**
 * The dashboard's charts: the page `/ops/charts?range=1h|1d`, its data `GET /ops/api/series?range=1h|1d`
 * (JSON, FarmSeriesPayload) and its scripts under `/ops/assets/` (uPlot, the page script), all
 * with the dashboard's `ops` scope. An unknown range is a 400 naming the ranges.
 */
export function chartRoutes(options: ChartRoutesOptions): FastifyPluginAsync {
  const uplot = uplotAssets();
  const config = options.config;
  const badRange = { error: { code: 'bad_request', message: `range must be one of ${Object.keys(SERIES_RANGES).join(', ')}` } };
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { range?: string } }>('/ops/charts', { config }, async (req, reply) => {
      const range = req.query.range ?? '1h';
      if (!isRange(range)) return reply.code(400).send(badRange);
      return reply.type('text/html; charset=utf-8').send(chartsPage(range));
    });
    app.get<{ Querystring: { range?: string } }>('/ops/api/series', { config }, async (req, reply) => {
      const range = req.query.range ?? '1h';
      if (!isRange(range)) return reply.code(400).send(badRange);
      return reply.header('cache-control', 'no-store').send(await options.source.read(range));
    });
    const asset = (path: string, type: string, body: string) =>
      app.get(path, { config }, async (_req, reply) => reply.type(type).header('cache-control', 'private, max-age=3600').send(body));
    asset('/ops/assets/uPlot.iife.min.js', 'text/javascript; charset=utf-8', uplot.js);
    asset('/ops/assets/uPlot.min.css', 'text/css; charset=utf-8', uplot.css);
    asset('/ops/assets/charts.js', 'text/javascript; charset=utf-8', CHARTS_SCRIPT);
  };
}
