// The Monitoring tab's benchmark (issue #12): the cluster gateway's Monitoring tab
// (`/gateways/<cs>/<gateway>/monitors?range=1h`) against devcluster (scenario `nodeport`) and a
// real Prometheus with 7 days of backfilled history, in headless Chromium:
//   1. data → all charts drawn: from the responseEnd (Resource Timing) of the last
//      `/api/v1/query_range` request of the tab's initial load (through the app server's /k8s/
//      proxy and the API server's service proxy) to the moment the last chart has drawn its data,
//      median of ≥ 7 cold loads (a new browser context each);
//   2. the bytes of ECharts (`vendor/echarts.min.js`) and of the other files the tab fetches when
//      it opens on the details page (gzip -9, like bench.mjs), and that the landing page fetches
//      neither;
//   3. the JS heap after 50 tab switches (Monitoring ↔ Events through the tab links, waiting for
//      every chart each time) after a forced GC, beside the heap after the first load, and the
//      ECharts instances and canvases left at the end.
//
// ECharts is hooked without changing the app (echartsHook, an init script): the assignment of
// `window.echarts` is trapped, and so is the UMD factory's later `echarts.init = …`, so that every
// instance the app creates gets its setOption and dispose wrapped and a 'rendered' listener.
// A chart is "drawn" at its first 'rendered' event after its last setOption that carried data
// (≥ 1 point in some series); a chart whose answer has no points (its cell says "no data in this
// window") counts as drawn at the first 'rendered' after its last setOption.
//
// `node bench-monitoring.mjs` runs it alone and prints a Markdown section; bench.mjs imports
// `runMonitoringBench(browser)` and appends its `md`.
import fs from 'node:fs';
import os from 'node:os';
import { chromium as pw } from '@playwright/test';
import { chromium } from './playwright.config.mjs';
import { launch, stopAll, stopAllOnSignals } from './harness.mjs';
import { heapAfterGC, trackWasmMemory, median } from './bench-logs.mjs';
import { fetchedFiles, sizes, total, waitForFirstData, shortName } from './first-paint.mjs';

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';
const DETAILS = `/gateways/${CS}/${CLUSTER_GW}`;
export const MONITORS = `${DETAILS}/monitors?range=1h`;
const ECHARTS = '/vendor/echarts.min.js';
export const LOADS = Math.max(7, Number(process.env.BENCH_MONITORING_LOADS || 7));
/** Tab switches (each Monitoring → Events or Events → Monitoring is one), as in monitoring.spec. */
export const SWITCHES = Number(process.env.BENCH_MONITORING_SWITCHES || 50);
export const TARGETS = { drawnMs: 100 };
const VIEWPORT = { width: 1400, height: 900 };
const CHARTS_TIMEOUT_MS = 30_000;

/**
 * Init script: hooks ECharts as the app loads it. Keeps plain records only (no reference to an
 * instance), so that the hook does not keep a disposed chart alive.
 */
export function echartsHook() {
  const H = { assignedAt: null, inits: 0, disposes: 0, charts: [] };
  Object.defineProperty(window, '__echartsBench', { value: H });
  const wrapInstance = (chart, el) => {
    if (chart.__benchRec) return chart; // init on an element that has one returns the same
    const rec = { id: chart.id, name: el?.getAttribute?.('data-chart') ?? null, initAt: performance.now(), disposedAt: null, sets: [], renders: [] };
    Object.defineProperty(chart, '__benchRec', { value: rec });
    H.charts.push(rec);
    H.inits++;
    const setOption = chart.setOption;
    chart.setOption = function (option, ...rest) {
      const list = option?.series === undefined ? [] : [].concat(option.series);
      const points = list.reduce((n, s) => n + (Array.isArray(s?.data) ? s.data.length : 0), 0);
      const at = performance.now();
      const result = setOption.call(this, option, ...rest);
      rec.sets.push({ at, done: performance.now(), series: list.length, points });
      return result;
    };
    const dispose = chart.dispose;
    chart.dispose = function (...args) {
      if (rec.disposedAt === null) {
        rec.disposedAt = performance.now();
        H.disposes++;
        // keep counts only: 50 tab switches should not grow the hook's own records much
        rec.sets = rec.sets.length;
        rec.renders = rec.renders.length;
      }
      return dispose.apply(this, args);
    };
    chart.on('rendered', () => {
      if (rec.disposedAt !== null) return;
      let series = null, points = null;
      try {
        const all = chart.getModel().getSeries();
        series = all.length;
        points = all.reduce((n, s) => n + s.getData().count(), 0);
      } catch { /* no model yet */ }
      rec.renders.push({ at: performance.now(), afterSet: rec.sets.length, series, points });
    });
    return chart;
  };
  const wrapNamespace = (ec) => {
    if (!ec || typeof ec !== 'object' || ec.__benchWrapped) return;
    Object.defineProperty(ec, '__benchWrapped', { value: true });
    let wrapped = null;
    const wrap = (init) => (typeof init !== 'function' ? init : function (el, ...rest) {
      return wrapInstance(init.call(this, el, ...rest), el);
    });
    // the UMD bundle assigns `window.echarts = {}` first and `echarts.init = …` later
    if (typeof ec.init === 'function') wrapped = wrap(ec.init);
    Object.defineProperty(ec, 'init', {
      configurable: true,
      enumerable: true,
      get: () => wrapped,
      set: (v) => { wrapped = wrap(v); },
    });
  };
  let echarts;
  Object.defineProperty(window, 'echarts', {
    configurable: true,
    enumerable: true,
    get: () => echarts,
    set: (v) => {
      H.assignedAt ??= performance.now();
      wrapNamespace(v);
      echarts = v;
    },
  });
}

/**
 * In the page: the charts shown now (each `[data-chart]` element) and when each was drawn, from
 * the hook's records of the instances created after `since` (ms, performance.now()).
 */
function chartsState(since) {
  const H = window.__echartsBench;
  const els = [...document.querySelectorAll('[data-chart]')];
  const live = H ? H.charts.filter((r) => r.disposedAt === null && r.initAt >= since) : [];
  const charts = els.map((el) => {
    const name = el.getAttribute('data-chart');
    const rec = live.filter((r) => r.name === name).pop();
    const cell = el.closest('.chart-cell');
    const empty = !!cell?.querySelector('[data-testid="chart-empty"]');
    const error = !!cell?.querySelector('[data-testid="chart-error"]');
    const box = el.getBoundingClientRect();
    const out = { name, empty, error, belowFold: box.top >= innerHeight, top: Math.round(box.top), instance: !!rec };
    if (!rec) return out;
    let last = -1;
    for (let i = 0; i < rec.sets.length; i++) if (rec.sets[i].points > 0) last = i;
    out.withData = last >= 0;
    if (last < 0 && (empty || error)) last = rec.sets.length - 1; // no points to draw
    if (last < 0) return out;
    const set = rec.sets[last];
    const render = rec.renders.find((r) => r.afterSet > last);
    Object.assign(out, {
      initAt: rec.initAt,
      setAt: set.at,
      setMs: set.done - set.at,
      series: set.series,
      points: set.points,
      sets: rec.sets.length,
      drawnAt: render ? render.at : null,
      drawnSeries: render ? render.series : null,
      drawnPoints: render ? render.points : null,
    });
    return out;
  });
  return {
    charts,
    done: charts.length > 0 && charts.every((c) => c.drawnAt !== undefined && c.drawnAt !== null),
    assignedAt: H?.assignedAt ?? null,
    inits: H?.inits ?? 0,
    disposes: H?.disposes ?? 0,
  };
}

/** Waits until every chart shown has drawn its data (instances created after `since`). */
async function waitForCharts(page, since = 0, { timeout = CHARTS_TIMEOUT_MS } = {}) {
  await page.waitForFunction(([s]) => {
    const st = window.__benchChartsState(s);
    return st.done;
  }, [since], { timeout, polling: 50 });
  return page.evaluate((s) => window.__benchChartsState(s), since);
}

/** Waits for the charts, then until nothing new has happened for `quietMs` (no late setOption). */
async function settledCharts(page, since = 0, quietMs = 1000) {
  let state = await waitForCharts(page, since);
  for (let i = 0; i < 10; i++) {
    const sig = JSON.stringify(state.charts.map((c) => [c.name, c.sets, c.drawnAt]));
    await page.waitForTimeout(quietMs);
    state = await waitForCharts(page, since);
    if (JSON.stringify(state.charts.map((c) => [c.name, c.sets, c.drawnAt])) === sig) return state;
  }
  return state;
}

async function hookedPage(browser, { wasm = false } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript(echartsHook);
  await page.addInitScript(`window.__benchChartsState = ${chartsState.toString()};`);
  if (wasm) await trackWasmMemory(page);
  return { context, page };
}

/** In the page: the Prometheus range queries fetched so far (Resource Timing). */
function rangeQueries() {
  return performance.getEntriesByType('resource')
    .filter((e) => new URL(e.name).pathname.endsWith('/api/v1/query_range'))
    .map((e) => {
      const u = new URL(e.name);
      return {
        startTime: e.startTime,
        responseEnd: e.responseEnd,
        start: Number(u.searchParams.get('start')),
        end: Number(u.searchParams.get('end')),
        step: u.searchParams.get('step'),
      };
    });
}

/** One cold load of the tab: data → drawn and where the time went. */
async function coldLoad(browser, url) {
  const { context, page } = await hookedPage(browser);
  try {
    await page.goto(url + MONITORS);
    const state = await settledCharts(page);
    const ranges = await page.evaluate(rangeQueries);
    const echarts = await page.evaluate((p) => {
      const e = performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === p);
      return e ? { startTime: e.startTime, responseEnd: e.responseEnd } : null;
    }, ECHARTS);
    const lastData = Math.max(...ranges.map((r) => r.responseEnd));
    const drawnAt = Math.max(...state.charts.map((c) => c.drawnAt));
    const lastSet = Math.max(...state.charts.map((c) => c.setAt));
    return {
      ms: drawnAt - lastData,
      lastData,
      firstRangeStart: Math.min(...ranges.map((r) => r.startTime)),
      drawnAt,
      lastSet,
      echarts,
      echartsAssigned: state.assignedAt,
      firstInit: Math.min(...state.charts.map((c) => c.initAt)),
      ranges: ranges.length,
      steps: [...new Set(ranges.map((r) => r.step))],
      spans: [...new Set(ranges.map((r) => r.end - r.start))],
      charts: state.charts.map(({ name, series, points, drawnSeries, drawnPoints, belowFold, top, withData, empty, error, sets, setMs, setAt, drawnAt: d }) => ({
        name, series, points, drawnSeries, drawnPoints, belowFold, top, withData, empty, error, sets, setMs, setToDrawn: d - setAt,
      })),
    };
  } finally {
    await context.close();
  }
}

/** Non-API files with their Resource Timing sizes. */
async function filesWithTiming(page) {
  const files = await fetchedFiles(page);
  const timing = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('resource')
    .map((e) => [new URL(e.name).pathname, { transfer: e.transferSize, encoded: e.encodedBodySize }])));
  return files.map((f) => ({ ...f, ...(timing[new URL(f.name).pathname] ?? {}) }));
}

/** Bytes: the landing page's files; the files the Monitoring tab fetches when opened from Events. */
async function measureBytes(browser, url) {
  // the landing page, until its first data and a while after
  let { context, page } = await hookedPage(browser);
  await page.goto(url + '/');
  await waitForFirstData(page);
  await page.waitForTimeout(1500);
  const landing = (await fetchedFiles(page)).map((f) => new URL(f.name).pathname);
  await context.close();

  // the details page on the Events tab, then a click on Monitoring
  ({ context, page } = await hookedPage(browser));
  await page.goto(url + `${DETAILS}/events`);
  await page.getByTestId('events-panel').waitFor();
  await page.waitForTimeout(1500);
  const before = new Set((await fetchedFiles(page)).map((f) => new URL(f.name).pathname));
  const since = await page.evaluate(() => performance.now());
  await page.getByTestId('tab-monitors').click();
  await waitForCharts(page, since);
  await page.waitForTimeout(500);
  const added = (await filesWithTiming(page)).filter((f) => !before.has(new URL(f.name).pathname));
  const sized = await sizes(added);
  const rows = sized.map((s, i) => ({ ...s, transfer: added[i].transfer, encoded: added[i].encoded }));
  await context.close();
  const isEcharts = (p) => p.endsWith(ECHARTS);
  return {
    landing,
    landingHasEcharts: landing.some(isEcharts),
    landingHasMonitoring: landing.filter((p) => /monitoring/.test(p)),
    detailsBefore: [...before],
    opened: rows,
    echarts: rows.find((r) => isEcharts(r.path)) ?? null,
    chunks: rows.filter((r) => !isEcharts(r.path)),
    // which of the tab's files the landing page already had (none expected)
    onLanding: rows.filter((r) => landing.includes(r.path)).map((r) => r.path),
  };
}

/** Heap after the first load and after SWITCHES tab switches, ECharts instances, canvases. */
async function measureSwitches(browser, url) {
  const { context, page } = await hookedPage(browser, { wasm: true });
  try {
    await page.goto(url + MONITORS);
    const first = await settledCharts(page);
    const heapFirst = await heapAfterGC(page);
    const switchMs = [];
    let lastSince = 0;
    for (let i = 0; i < SWITCHES; i++) {
      const t0 = Date.now();
      if (i % 2 === 0) {
        await page.getByTestId('tab-events').click();
        await page.getByTestId('events-panel').waitFor();
      } else {
        lastSince = await page.evaluate(() => performance.now());
        await page.getByTestId('tab-monitors').click();
        await waitForCharts(page, lastSince);
      }
      switchMs.push(Date.now() - t0);
    }
    // an odd count ends on Events: come back, so that the end state shows the charts
    if (SWITCHES % 2 === 1) {
      lastSince = await page.evaluate(() => performance.now());
      await page.getByTestId('tab-monitors').click();
      await waitForCharts(page, lastSince);
    }
    const last = await settledCharts(page, lastSince);
    const heapEnd = await heapAfterGC(page);
    const dom = await page.evaluate(() => ({
      charts: document.querySelectorAll('[data-chart]').length,
      canvases: document.querySelectorAll('canvas').length,
      echartsElements: document.querySelectorAll('[_echarts_instance_]').length,
      inits: window.__echartsBench.inits,
      disposes: window.__echartsBench.disposes,
      live: window.__echartsBench.inits - window.__echartsBench.disposes,
    }));
    return { first: first.charts.length, last: last.charts.length, heapFirst, heapEnd, dom, switchMs };
  } finally {
    await context.close();
  }
}

export async function runMonitoringBench(browser) {
  const env = await launch({ scenario: 'nodeport', prometheus: true });
  try {
    const results = { loads: [], machine: null };
    // warm-up: devcluster and Prometheus answer their first queries slower (not counted)
    results.warmup = await coldLoad(browser, env.url);
    for (let i = 0; i < LOADS; i++) results.loads.push(await coldLoad(browser, env.url));
    results.bytes = await measureBytes(browser, env.url);
    results.switches = await measureSwitches(browser, env.url);
    results.machine = {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? '?',
      browser: browser.version(),
      echarts: fs.readFileSync(new URL('../dist/vendor/ECHARTS-VERSION', import.meta.url), 'utf8').trim(),
      date: new Date().toISOString().slice(0, 10),
    };
    return { results, md: markdown(results) };
  } finally {
    await env.app.stop();
    await env.cluster.stop();
  }
}

const ms = (x, d = 0) => (Number.isFinite(x) ? `${x.toFixed(d)} ms` : '–');
const MiB = (b) => (Number.isFinite(b) ? `${(b / 1048576).toFixed(1)} MB` : '–');
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const within = (x, limit) => (x <= limit ? 'within' : 'OVER');
const list = (xs, d = 0) => xs.map((x) => x.toFixed(d)).join(', ');

/** The Markdown section of BENCHMARKS.md. */
export function markdown(r) {
  const loads = r.loads;
  const data = loads.map((l) => l.ms);
  const med = median(data);
  const l0 = loads[0];
  const nCharts = l0.charts.length;
  const below = l0.charts.filter((c) => c.belowFold);
  const noData = l0.charts.filter((c) => !c.withData);
  const steps = [...new Set(loads.flatMap((l) => l.steps))];
  const spans = [...new Set(loads.flatMap((l) => l.spans))];
  const points = spans.map((s) => s / Number(steps[0]) + 1); // start and end inclusive
  const b = r.bytes;
  const sw = r.switches;
  const heapDelta = sw.heapEnd.used - sw.heapFirst.used;
  const medOf = (f) => median(loads.map(f));
  // the tab's own chunk and the big ones by name, the many small shared chunks summed
  const big = b.chunks.filter((c) => c.gzip >= 4096).sort((x, y) => y.gzip - x.gzip);
  const small = b.chunks.filter((c) => c.gzip < 4096);
  const chunkCell = [...big.map((c) => `${shortName(c.path)} ${c.gzip}`), small.length ? `${small.length} more chunks of < 4 KiB each, ${total(small)} together` : null].filter(Boolean).join('; ') || '–';
  const chartRows = l0.charts.map((c) => `${c.name} ${c.drawnSeries ?? c.series}/${c.drawnPoints ?? c.points}${c.belowFold ? ' (below the fold)' : ''}${c.withData ? '' : ' (no data)'}`).join(', ');
  return `## Monitoring tab (issue #12)

Recorded by \`e2e/bench-monitoring.mjs\`: \`${MONITORS}\` against devcluster (scenario
\`nodeport\`) and a real Prometheus (7 days backfilled + live scrapes every 2 s), reached through
\`e2e/serve.mjs\`'s \`/k8s/\` proxy and the API server's service proxy; headless Chromium,
${VIEWPORT.width}×${VIEWPORT.height}, ECharts ${r.machine.echarts} hooked by an init script (\`window.echarts\`
and \`echarts.init\` trapped; setOption, dispose wrapped; a 'rendered' listener on every instance).
Drawn = a chart's first 'rendered' event after its last setOption carrying data; data = the
Resource Timing responseEnd of the last \`/api/v1/query_range\` of the initial load.

| figure | measured | target / notes |
|---|---:|---|
| data → all ${nCharts} charts drawn, 1 h range (median of ${loads.length} cold loads) | ${ms(med, 1)} (min ${ms(Math.min(...data), 1)}, max ${ms(Math.max(...data), 1)}) | ≤ ${TARGETS.drawnMs} ms (${within(med, TARGETS.drawnMs)}); step ${steps.join(', ')} s → ${points.join(', ')} points a series; ${l0.ranges} range queries |
| ECharts \`vendor/echarts.min.js\` | ${b.echarts ? `${b.echarts.gzip} B gzip -9 (${kib(b.echarts.gzip)}); ${b.echarts.bytes} B raw` : 'not fetched'} | fetched when the Monitoring tab first shows a chart; ${b.landingHasEcharts ? '**fetched on the landing page**' : 'not fetched on the landing page'} |
| other files the tab fetches when opened (from the Events tab) | ${total(b.chunks)} B gzip -9 (${kib(total(b.chunks))}): ${chunkCell} | ${b.landingHasMonitoring.length ? `**on the landing page: ${b.landingHasMonitoring.join(', ')}**` : 'none of them fetched on the landing page'} |
| JS heap after the first load (after GC) | ${MiB(sw.heapFirst.used)} | V8 heap; + ${MiB(sw.heapFirst.backingStorage)} array buffers, ${MiB(sw.heapFirst.wasm ?? NaN)} wasm memory |
| JS heap after ${SWITCHES} tab switches (after GC) | ${MiB(sw.heapEnd.used)} (${heapDelta >= 0 ? '+' : '−'}${MiB(Math.abs(heapDelta))}) | Monitoring ↔ Events by the tab links, charts drawn each time; + ${MiB(sw.heapEnd.backingStorage)} array buffers, ${MiB(sw.heapEnd.wasm ?? NaN)} wasm memory |
| live ECharts instances / canvases at the end | ${sw.dom.live} / ${sw.dom.canvases} | ${sw.dom.charts} charts shown; ${sw.dom.inits} inits − ${sw.dom.disposes} disposes; ${sw.dom.echartsElements} elements marked \`_echarts_instance_\` |

Notes:
- Where the time goes (medians, ms after navigation start): first range query sent ${ms(medOf((l) => l.firstRangeStart))}; ECharts script received ${ms(medOf((l) => l.echarts?.responseEnd ?? NaN))}, \`window.echarts\` assigned ${ms(medOf((l) => l.echartsAssigned ?? NaN))}, first \`init\` ${ms(medOf((l) => l.firstInit))}; last range answer ${ms(medOf((l) => l.lastData))}; last data setOption ${ms(medOf((l) => l.lastSet))}; last chart drawn ${ms(medOf((l) => l.drawnAt))}. ${medOf((l) => l.echartsAssigned ?? Infinity) < medOf((l) => l.lastData) ? 'ECharts is loaded and the instances exist before the last answer arrives, so the script is not on this figure\'s path (it is on the path of navigation → drawn).' : 'ECharts arrives after the last answer: its load is part of this figure.'}
- Charts (series/points drawn, first load): ${chartRows}. ${below.length ? `${below.length} of ${nCharts} charts are below the fold at ${VIEWPORT.width}×${VIEWPORT.height} (${below.map((c) => c.name).join(', ')}); the app does not defer them: every chart is initialised and drawn on load, and the figure includes them.` : `All ${nCharts} charts are in the viewport.`}${noData.length ? ` Without data in the window: ${noData.map((c) => c.name).join(', ')} (drawn = first 'rendered' after their last setOption).` : ''}
- setOption → drawn per chart (first load): ${l0.charts.map((c) => `${c.name} ${c.setToDrawn.toFixed(1)}`).join(', ')} ms; setOption itself ${l0.charts.map((c) => c.setMs.toFixed(1)).join(', ')} ms.
- Files the tab fetches when opened, gzip -9 bytes each: ${b.chunks.map((c) => `${shortName(c.path)} ${c.gzip}`).join(', ') || '–'}. The bare details link (\`${DETAILS}\`) opens on Monitoring (the default tab): bench.mjs's "deep link" row counts whichever of these files (and ECharts) had been fetched when it read the network log (after \`gateway-name\` shows).
- Tab switches: ${sw.switchMs.length} switches, median ${ms(median(sw.switchMs))} each (click → panel / all charts drawn, measured from Node); ${sw.first} charts after the first load, ${sw.last} at the end.

Samples (ms), data → all charts drawn: ${list(data, 1)} (a warm-up load before them, not counted: ${ms(r.warmup.ms, 1)})

Machine: ${r.machine.cores} cores (${r.machine.cpu}); Chromium ${r.machine.browser}; measured ${r.machine.date}.
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  stopAllOnSignals();
  const browser = await pw.launch({ headless: true, ...chromium });
  let out;
  try {
    out = await runMonitoringBench(browser);
  } finally {
    await browser.close();
    await stopAll();
  }
  if (process.env.BENCH_MONITORING_JSON) fs.writeFileSync(process.env.BENCH_MONITORING_JSON, JSON.stringify(out.results, null, 1));
  console.log(out.md);
}
