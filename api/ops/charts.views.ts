import { CHART_META, type SeriesRange } from './farm-charts.ts';
import { esc, layout } from './ops.views.ts';

/**
 * `/ops/charts`: the farm over the last hour or day, drawn with uPlot in the browser from
 * `/ops/api/series` (redrawn every 30 s). Each chart is a `<section data-chart=…>` whose
 * `data-state` ends `drawn` (a canvas with its legend) or `nodata` (the text "no data", never a zero line).
 */
export function chartsPage(range: SeriesRange): string {
  const link = (r: SeriesRange, label: string) => (r === range ? `<strong aria-current="page">${label}</strong>` : `<a href="/ops/charts?range=${r}">${label}</a>`);
  const sections = CHART_META.map(
    (c) => `<section class="chart" data-chart="${esc(c.id)}" data-state="loading"><h2>${esc(c.title)}</h2><div class="plot"></div><p class="nodata" hidden>no data</p></section>`,
  ).join('');
  return layout(
    'The farm in charts',
    `<p>${link('1h', 'last hour')} · ${link('1d', 'last day')} · source: <span id="series-source">…</span> · <a href="/ops">overview</a></p>
<p id="series-error" class="bad" role="alert" hidden></p>
<link rel="stylesheet" href="/ops/assets/uPlot.min.css">
<style>.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:1rem}.chart h2{font-size:1rem;margin:.5rem 0}.chart .nodata{color:#777;border:1px dashed #bbb;padding:2rem;text-align:center}</style>
<div id="charts" class="charts" data-range="${esc(range)}" data-loads="0">${sections}</div>
<script src="/ops/assets/uPlot.iife.min.js"></script>
<script src="/ops/assets/charts.js"></script>`,
  );
}

/**
 * The page's script (served as /ops/assets/charts.js): fetches the series and draws each chart
 * with uPlot, or shows "no data" where a chart has no point. Plain ES5-style browser JavaScript.
 */
export const CHARTS_SCRIPT = `(function () {
  'use strict';
  var root = document.getElementById('charts');
  var range = root.getAttribute('data-range');
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];
  var plots = {};
  function draw(payload) {
    document.getElementById('series-source').textContent = payload.source + ', one point per ' + (payload.stepSecs / 60) + ' min';
    payload.charts.forEach(function (chart) {
      var section = root.querySelector('[data-chart="' + chart.id + '"]');
      if (!section) return;
      var plot = section.querySelector('.plot');
      var nodata = section.querySelector('.nodata');
      if (plots[chart.id]) { plots[chart.id].destroy(); delete plots[chart.id]; }
      var points = 0;
      chart.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null) points++; }); });
      section.setAttribute('data-points', String(points));
      section.setAttribute('data-series', String(chart.series.length));
      if (points === 0) {
        nodata.hidden = false;
        section.setAttribute('data-state', 'nodata');
        return;
      }
      nodata.hidden = true;
      var opts = {
        width: Math.max(320, plot.clientWidth || 560),
        height: 240,
        // Half a step of room at both ends: the newest minute's dot is drawn whole, not cut by the edge.
        scales: {
          x: { time: true, range: function (u, min, max) { return [min - payload.stepSecs / 2, max + payload.stepSecs / 2]; } },
          // Rates and circuit states have fixed scales; the rest fit their data.
          y: chart.unit === '%' ? { range: [0, 105] } : chart.id === 'circuits' ? { range: [-0.1, 2.1] } : {}
        },
        series: [{}].concat(chart.series.map(function (s, i) {
          var colour = palette[i % palette.length];
          return {
            label: s.name,
            stroke: colour,
            width: 1.5,
            spanGaps: false,
            // Filled dots: a minute between gaps (one sample, one busy minute) is seen, not only lines.
            points: { show: true, size: 7, fill: colour },
            value: function (u, v) { return v == null ? '–' : v + ' ' + chart.unit; }
          };
        })),
        axes: [{}, { label: chart.unit, size: 60 }]
      };
      plots[chart.id] = new uPlot(opts, [payload.times].concat(chart.series.map(function (s) { return s.values; })), plot);
      section.setAttribute('data-state', 'drawn');
    });
    root.setAttribute('data-loads', String(Number(root.getAttribute('data-loads')) + 1));
  }
  function load() {
    fetch('/ops/api/series?range=' + encodeURIComponent(range), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (payload) { document.getElementById('series-error').hidden = true; draw(payload); })
      .catch(function (e) {
        var el = document.getElementById('series-error');
        el.textContent = 'could not load the series: ' + e.message;
        el.hidden = false;
      });
  }
  load();
  setInterval(load, 30000);
})();
`;
