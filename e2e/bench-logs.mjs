// The Logs tab's benchmark (issue #13): 200,000 access lines of devcluster's traffic model
// (`devcluster --log-lines 200000`) fed through the streaming pod-log path in headless Chromium,
// side by side with the references in the same browser run:
//   - xterm.js 5 (`@xterm/xterm`, as Headlamp's log viewer uses it): ingest time and heap;
//   - plain JS over the same lines (`lines.filter((l) => l.includes(q))`, RegExp#test): filter time;
//   - the transport floor (fetch + read every chunk, nothing else) and devcluster's own time.
// Follow: a second devcluster with `--log-rate 2000` (2,000 access lines/s per pod); a frame's
// time is its main-thread time from its start to the end of its rendering update (sampleFrames),
// beside the frame intervals (headless Chromium keeps 60 Hz: --disable-frame-rate-limit has no
// effect there).
//
// `node bench-logs.mjs` runs it alone and prints a Markdown section; bench.mjs imports
// `runLogBench(browser)` and appends its `md`.
//
// Contract with the app's Logs tab (what measureOurs waits for):
//   - route `/gateways/<ns>/<gateway>/logs?pods=<pod>&tail=all&follow=0` shows the pod's whole log;
//   - `performance.mark('gateway-console:logs-ingested', { detail: { lines } })` once the initial
//     window (the whole history the request returned) has been ingested and drawn; the ingest
//     figure takes the first such mark with `lines` ≥ LOG_LINES (a mark without `detail.lines`
//     is taken only if none with it comes, and the figure says so);
//   - `performance.mark('gateway-console:logs-filtered', { detail: { rows, query } })` after each
//     filter update has been drawn (one per applied filter text); with `query` (the filter text
//     applied) a keystroke's time ends at the mark of its own text, so that a mark caused by
//     followed lines arriving meanwhile is not taken for it;
//   - the filter is the first `searchbox` on the page (an <input type="search"> or role=searchbox
//     with an aria-label), applied as the user types;
//   - following: `/gateways/<ns>/<gateway>/logs?pods=<pod>&tail=1000&follow=true` (OURS_FOLLOW_QUERY)
//     streams and keeps the view scrolled to the newest line, marking logs-ingested after the tail.
// Ingest = from the app's fetch of `…/pods/<pod>/log?…` (recorded by a fetch wrapper installed
// before the page loads) to the logs-ingested mark; filter = from the keydown event to the
// logs-filtered mark it caused. When the mark never comes, the figure reads "not measured (the app
// has no Logs tab yet)".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium as pw } from '@playwright/test';
import { chromium } from './playwright.config.mjs';
import { startApp, startCluster, stopAll, stopAllOnSignals } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const LOG_LINES = Number(process.env.BENCH_LOG_LINES || 200_000);
export const FOLLOW_RATE = Number(process.env.BENCH_LOG_RATE || 2_000);
export const TARGETS = { ingestMs: 300, filterMs: 30, frameP95Ms: 16, heapMB: 150 };
export const INGESTED_MARK = 'gateway-console:logs-ingested';
export const FILTERED_MARK = 'gateway-console:logs-filtered';
export const OURS_FOLLOW_QUERY = 'tail=1000&follow=true';
const CS = 'kubesphere-controls-system';
/** Queries of the filter figures: common, a status, one that matches nothing, a path. */
export const QUERIES = ['POST', ' 503 ', 'checkout', '/api/v1/orders'];
export const REGEXPS = ['" 5\\d\\d ', 'POST \\S*orders', '^\\S+ 192\\.168\\.1\\d\\.'];
/** Typed keystroke by keystroke: each prefix is one filter update. */
export const TYPED = 'orders';
const RUNS = 7;
const FOLLOW_MS = 5000;
/** How long the app gets to show the logs before "not measured". */
const OURS_TIMEOUT_MS = Number(process.env.BENCH_LOGS_TIMEOUT_MS || 30_000);
/** Serves e2e/bench and the xterm.js package beside the app, on its origin. */
export const MOUNTS = [
  { prefix: '/__bench/xterm/', dir: path.join(HERE, 'node_modules', '@xterm', 'xterm') },
  { prefix: '/__bench/', dir: path.join(HERE, 'bench') },
];

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const mb = (b) => b / (1024 * 1024);
const ms = (x, digits = 0) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : '–');
const MiB = (b) => (Number.isFinite(b) ? `${mb(b).toFixed(1)} MB` : '–');

/**
 * Installs (before the page's scripts run) a record of every WebAssembly.Memory the page creates
 * or instantiates: CDP's heap figures do not count wasm linear memory. Call before `goto`.
 */
export async function trackWasmMemory(page) {
  await page.addInitScript(() => {
    const memories = new Set();
    const W = WebAssembly;
    const track = (result) => {
      const instance = result?.instance ?? result;
      for (const v of Object.values(instance?.exports ?? {})) if (v instanceof W.Memory) memories.add(v);
      return result;
    };
    for (const name of ['instantiate', 'instantiateStreaming']) {
      const original = W[name];
      if (original) W[name] = function (...args) { return original.apply(this, args).then(track); };
    }
    const OriginalMemory = W.Memory;
    W.Memory = new Proxy(OriginalMemory, {
      construct(target, args) { const m = Reflect.construct(target, args); memories.add(m); return m; },
    });
    const OriginalInstance = W.Instance;
    W.Instance = new Proxy(OriginalInstance, {
      construct(target, args) { return track(Reflect.construct(target, args)); },
    });
    Object.defineProperty(window, '__wasmMemoryBytes', {
      value: () => [...memories].reduce((sum, m) => sum + m.buffer.byteLength, 0),
    });
  });
}

/**
 * The page's heap after a full GC, through CDP: `used` (V8 JS heap), `backingStorage` (array
 * buffers outside it), `wasm` (linear memories, if trackWasmMemory was installed: its high-water
 * mark, wasm memory never shrinks), `embedder` (Blink's heap), and
 * `jsAndWasm` = used + backingStorage + wasm (the "JS + wasm heap" figure).
 */
export async function heapAfterGC(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const h = await cdp.send('Runtime.getHeapUsage');
    const used = h.usedSize;
    const backingStorage = h.backingStorageSize ?? 0;
    const wasm = await page.evaluate(() => (window.__wasmMemoryBytes ? window.__wasmMemoryBytes() : null));
    return { used, total: h.totalSize, backingStorage, wasm, embedder: h.embedderHeapUsedSize ?? null, jsAndWasm: used + backingStorage + (wasm ?? 0) };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** The first controller pod (by name) of the nodeport scenario's cluster gateway. */
export async function controllerPod(cluster) {
  const r = await fetch(`${cluster.url}/api/v1/namespaces/${CS}/pods?labelSelector=${encodeURIComponent('app.kubernetes.io/name=ingress-nginx')}`);
  const pods = (await r.json()).items.filter((p) => p.status?.phase === 'Running');
  pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const p = pods[0];
  if (!p) throw new Error('no running controller pod');
  const instance = p.metadata.labels['app.kubernetes.io/instance'];
  return { ns: p.metadata.namespace, pod: p.metadata.name, gateway: instance.replace(/-ingress$/, '') };
}

/** The pod log path as the app asks for it (relative to the API base). */
export function logPath({ ns, pod }, { tail = null, follow = false } = {}) {
  const q = new URLSearchParams({ container: 'controller', timestamps: 'true' });
  if (tail !== null) q.set('tailLines', String(tail));
  if (follow) q.set('follow', 'true');
  return `/api/v1/namespaces/${ns}/pods/${pod}/log?${q}`;
}

/** devcluster's own time for the log, read by Node straight from it (no proxy, no browser). */
async function serverTime(cluster, target, tail) {
  const t0 = performance.now();
  const r = await fetch(cluster.url + logPath(target, { tail }));
  const reader = r.body.getReader();
  let bytes = 0, firstByte = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByte ??= performance.now() - t0;
    bytes += value.length;
  }
  return { ms: performance.now() - t0, firstByte, bytes };
}

async function benchPage(browser, appUrl) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${appUrl}/__bench/logs.html`);
  await page.waitForFunction(() => window.logBench && window.Terminal);
  return { context, page };
}

/** The references, each in a fresh page: transport floor, xterm.js ingest + heap, JS filter. */
export async function measureReferences(browser, env, { runs = 3 } = {}) {
  const url = `/k8s${logPath(env.target, { tail: LOG_LINES })}`;
  const out = { transport: [], xterm: [], xtermHeap: [], js: null, jsHeap: null };
  for (let i = 0; i < runs; i++) {
    const { context, page } = await benchPage(browser, env.app.url);
    out.transport.push(await page.evaluate((u) => window.logBench.transport(u), url));
    await context.close();
  }
  for (let i = 0; i < runs; i++) {
    const { context, page } = await benchPage(browser, env.app.url);
    out.xterm.push(await page.evaluate((u) => window.logBench.xtermIngest(u), url));
    out.xtermHeap.push(await heapAfterGC(page));
    await context.close();
  }
  const { context, page } = await benchPage(browser, env.app.url);
  out.js = await page.evaluate(([u, o]) => window.logBench.jsFilter(u, o), [url, { queries: QUERIES, regexps: REGEXPS, typed: TYPED, runs: RUNS }]);
  out.jsHeap = await heapAfterGC(page);
  await context.close();
  return out;
}

/** xterm.js following the --log-rate devcluster. */
export async function measureReferenceFollow(browser, env) {
  const { context, page } = await benchPage(browser, env.app.url);
  try {
    const url = `/k8s${logPath(env.target, { tail: 1000, follow: true })}`;
    return await page.evaluate(([u, t]) => window.logBench.xtermFollow(u, { ms: t }), [url, FOLLOW_MS]);
  } finally {
    await context.close();
  }
}

/** Records when the page starts fetching a pod log (same clock as its marks). */
function recordLogFetches() {
  window.__logFetchStarts = [];
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input?.url ?? String(input);
    if (/\/pods\/[^/]+\/log\?/.test(url)) window.__logFetchStarts.push(performance.now());
    return original.call(this, input, init);
  };
}

async function waitForMark(page, name, { after = -1, timeout = OURS_TIMEOUT_MS, query = null } = {}) {
  const handle = await page.waitForFunction(([n, a, q]) => {
    const m = performance.getEntriesByName(n)
      .filter((e) => e.startTime > a && (q === null || e.detail?.query === undefined || e.detail?.query === q))[0];
    return m ? { startTime: m.startTime, detail: m.detail ?? null } : null;
  }, [name, after, query], { timeout, polling: 'raf' });
  return handle.jsonValue();
}

/**
 * The first logs-ingested mark with detail.lines ≥ `lines`; failing that (marks without a
 * detail), the first mark once `grace` ms have passed since it. Null when none within `timeout`.
 */
async function waitForIngested(page, lines, { timeout = OURS_TIMEOUT_MS, grace = 5000 } = {}) {
  try {
    const handle = await page.waitForFunction(([n, want, g]) => {
      const marks = performance.getEntriesByName(n);
      const full = marks.find((m) => (m.detail?.lines ?? -1) >= want);
      if (full) return { startTime: full.startTime, detail: full.detail, exact: true };
      const bare = marks.find((m) => m.detail?.lines === undefined);
      if (bare && performance.now() - bare.startTime > g) return { startTime: bare.startTime, detail: null, exact: false, marks: marks.length };
      return null;
    }, [INGESTED_MARK, lines, grace], { timeout, polling: 100 });
    return await handle.jsonValue();
  } catch {
    return null;
  }
}

const NOT_MEASURED = 'not measured (the app has no Logs tab yet)';

/**
 * The app's Logs tab against the contract at the top of this file: ingest time and heap after
 * `/gateways/<ns>/<gateway>/logs?pods=<pod>&tail=all`, then per-keystroke filter times.
 * `appUrl` is the app's base URL; `target` = { ns, gateway, pod }.
 * Returns { measured: false, reason } when the tab never marks logs-ingested.
 */
export async function measureOurs(page, appUrl, target, { queries = [TYPED, ' 503 '], timeout = OURS_TIMEOUT_MS } = {}) {
  await page.addInitScript(recordLogFetches);
  await trackWasmMemory(page);
  await page.goto(`${appUrl}/gateways/${target.ns}/${target.gateway}/logs?pods=${encodeURIComponent(target.pod)}&tail=all&follow=0`);
  const ingested = await waitForIngested(page, LOG_LINES, { timeout });
  if (!ingested) return { measured: false, reason: NOT_MEASURED };
  const fetchStart = await page.evaluate(() => window.__logFetchStarts?.[0] ?? null);
  const out = {
    measured: true,
    lines: ingested.detail?.lines ?? null,
    note: ingested.exact ? null : `the logs-ingested mark has no detail.lines: took the first of ${ingested.marks}`,
    sinceNavigation: ingested.startTime,
    ingest: fetchStart === null ? null : ingested.startTime - fetchStart,
    logFetches: await page.evaluate(() => window.__logFetchStarts?.length ?? 0),
    heap: await heapAfterGC(page),
    filter: [],
  };
  // filter: keydown → the logs-filtered mark it caused
  const box = page.getByRole('searchbox').first();
  try {
    await box.waitFor({ timeout: 5000 });
  } catch {
    out.filterReason = 'no searchbox on the Logs tab';
    return out;
  }
  await box.click();
  await page.evaluate(() => {
    window.__keydowns = [];
    document.addEventListener('keydown', (e) => window.__keydowns.push(e.timeStamp), true);
  });
  const lastMark = () => page.evaluate((n) => performance.getEntriesByName(n).pop()?.startTime ?? -1, FILTERED_MARK);
  for (const q of queries) {
    // clear the previous query
    if ((await box.inputValue()) !== '') {
      const before = await lastMark();
      await box.fill('');
      await waitForMark(page, FILTERED_MARK, { after: before, timeout: 10_000 }).catch(() => null);
    }
    for (const ch of q) {
      const before = await lastMark();
      await page.keyboard.type(ch);
      let m;
      try {
        m = await waitForMark(page, FILTERED_MARK, { after: before, timeout: 10_000, query: await box.inputValue() });
      } catch {
        out.filterReason = `no ${FILTERED_MARK} mark after typing ${JSON.stringify(ch)}`;
        return out;
      }
      const keydown = await page.evaluate(() => window.__keydowns[window.__keydowns.length - 1]);
      out.filter.push({ q: (await box.inputValue()), ms: m.startTime - keydown, rows: m.detail?.rows ?? null });
    }
  }
  return out;
}

/**
 * Animation frames for `ms` (run in the page): `intervals` between consecutive frames and
 * `costs`, each frame's main-thread time from its start (rAF timestamp) to the first task after
 * its rendering update. Same as logBench.frames in bench/logs-bench.js.
 */
function sampleFrames(ms) {
  return new Promise((resolve) => {
    const intervals = [], costs = [];
    const channel = new MessageChannel();
    let frameStart = null, last = null;
    channel.port1.onmessage = () => {
      if (frameStart !== null) costs.push(performance.now() - frameStart);
      frameStart = null;
    };
    const end = performance.now() + ms;
    const tick = (t) => {
      if (last !== null) intervals.push(t - last);
      last = t;
      frameStart = t;
      channel.port2.postMessage(0);
      if (t < end) requestAnimationFrame(tick);
      else setTimeout(() => { channel.port1.close(); resolve({ intervals, costs }); }, 100);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * The app's Logs tab following the --log-rate devcluster: frames (sampleFrames) for FOLLOW_MS
 * after the tail has been ingested.
 */
export async function measureOursFollow(page, appUrl, target, { timeout = OURS_TIMEOUT_MS } = {}) {
  await trackWasmMemory(page);
  await page.goto(`${appUrl}/gateways/${target.ns}/${target.gateway}/logs?pods=${encodeURIComponent(target.pod)}&${OURS_FOLLOW_QUERY}`);
  if (!(await waitForIngested(page, 1, { timeout, grace: 1000 }))) return { measured: false, reason: NOT_MEASURED };
  await page.waitForTimeout(1000);
  const frames = await page.evaluate(sampleFrames, FOLLOW_MS);
  return { measured: true, frames, heap: await heapAfterGC(page) };
}

/** devcluster (200k lines) + app, and devcluster (--log-rate) + app, each with the bench mounts. */
async function startEnvs() {
  const ingestCluster = await startCluster({ scenario: 'nodeport', pace: '0', args: ['--log-lines', String(LOG_LINES)] });
  const followCluster = await startCluster({ scenario: 'nodeport', pace: '0', args: ['--log-rate', String(FOLLOW_RATE)] });
  const ingest = { cluster: ingestCluster, app: await startApp(ingestCluster, { mounts: MOUNTS }), target: await controllerPod(ingestCluster) };
  const follow = { cluster: followCluster, app: await startApp(followCluster, { mounts: MOUNTS }), target: await controllerPod(followCluster) };
  return { ingest, follow };
}

/**
 * Everything, in `browser` (a headless Chromium launched with playwright.config.mjs's options).
 * Returns { results, md }.
 */
export async function runLogBench(browser) {
  const { ingest, follow } = await startEnvs();
  const results = { target: ingest.target, lines: LOG_LINES, rate: FOLLOW_RATE };
  // devcluster renders a backdated history once (then serves it from memory): warm it up
  results.serverCold = await serverTime(ingest.cluster, ingest.target, LOG_LINES);
  results.server = [];
  for (let i = 0; i < 3; i++) results.server.push(await serverTime(ingest.cluster, ingest.target, LOG_LINES));
  results.refs = await measureReferences(browser, ingest);
  {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    results.ours = await measureOurs(page, ingest.app.url, ingest.target);
    await context.close();
  }
  {
    // what an idle page's frames cost (the floor of the frame figures)
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${follow.app.url}/__bench/logs.html`);
    results.idleFrames = await page.evaluate(sampleFrames, 2000);
    await context.close();
  }
  results.xtermFollow = await measureReferenceFollow(browser, follow);
  {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    results.oursFollow = await measureOursFollow(await context.newPage(), follow.app.url, follow.target);
    await context.close();
  }
  results.machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '?',
    memory: os.totalmem(),
    browser: browser.version(),
    xterm: JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', '@xterm', 'xterm', 'package.json'), 'utf8')).version,
    date: new Date().toISOString().slice(0, 10),
  };
  for (const e of [ingest, follow]) {
    await e.app.stop();
    await e.cluster.stop();
  }
  return { results, md: markdown(results) };
}

const within = (x, limit) => (Number.isFinite(x) ? (x <= limit ? 'within' : 'OVER') : '');
const samples = (xs, digits = 0) => xs.map((x) => x.toFixed(digits)).join(', ');

/** The Markdown section of BENCHMARKS.md. */
export function markdown(r) {
  const { refs, ours } = r;
  const xt = refs.xterm;
  const xtParsed = median(xt.map((x) => x.parsed));
  const xtDrawn = median(xt.map((x) => x.drawn));
  const xtHeap = median(refs.xtermHeap.map((h) => h.jsAndWasm));
  const transport = median(refs.transport.map((t) => t.ms));
  const lines = xt[0]?.lines;
  const bytes = xt[0]?.bytes;
  const js = refs.js;
  const med = (o) => median(o.samples);
  const includesMed = median(Object.values(js.includes).map(med));
  const regexpMed = median(Object.values(js.regexp).map(med));
  const typedMed = median(js.typed.map(med));
  const xtFollow = r.xtermFollow;
  const p95 = (f) => percentile(f, 95);
  const oursIngest = ours.measured ? ours.ingest : null;
  const oursHeap = ours.measured ? ours.heap.jsAndWasm : null;
  const oursFilter = ours.measured && ours.filter.length ? median(ours.filter.map((f) => f.ms)) : null;
  const oursFrames = r.oursFollow?.measured ? p95(r.oursFollow.frames.costs) : null;
  const late = (f) => f.intervals.filter((x) => x > 25).length;
  const frameLine = (f) => `cost p50 ${ms(percentile(f.costs, 50), 1)}, p95 ${ms(p95(f.costs), 1)}, max ${ms(Math.max(...f.costs), 1)}; interval p50 ${ms(percentile(f.intervals, 50), 1)}, p95 ${ms(p95(f.intervals), 1)}, max ${ms(Math.max(...f.intervals), 1)}; ${f.intervals.length} frames, ${late(f)} later than 25 ms`;
  const no = (o) => (o.measured ? null : o.reason);
  const cell = (x, fmt, limit, reason) => (x === null || x === undefined ? (reason ?? 'not measured') : `${fmt(x)} (${within(x, limit)})`);
  const wrapped = xt[0] ? Math.round(xt[0].bufferRows) : 0;
  return `## Logs tab (issue #13)

Recorded by \`e2e/bench-logs.mjs\`: devcluster \`--log-lines ${r.lines}\` (scenario \`nodeport\`), pod
\`${r.target.ns}/${r.target.pod}\`, the log fetched through \`e2e/serve.mjs\`'s \`/k8s/\` proxy as a stream
(\`…/log?container=controller&timestamps=true&tailLines=${r.lines}\`): ${lines} lines, ${MiB(bytes)} (${bytes} bytes).
The references run in the same headless Chromium, each in a fresh page: xterm.js ${r.machine.xterm}
(\`@xterm/xterm\`, 160×50, scrollback 200,000 rows, text with \`\\n\` → \`\\r\\n\` as Headlamp writes it,
with xterm's flow control), and plain JS over the lines as an array of strings. Heap = V8 heap +
array-buffer backing stores after a forced GC (CDP \`Runtime.getHeapUsage\`) + the wasm linear
memories' size (recorded by wrapping \`WebAssembly\`: CDP does not count them).

| figure | ours | xterm.js / JS reference | target |
|---|---:|---:|---:|
| ingest ${r.lines.toLocaleString('en')} lines, fetch start → drawn | ${cell(oursIngest, ms, TARGETS.ingestMs, no(ours))} | xterm.js ${ms(xtDrawn)} (parsed ${ms(xtParsed)}) | ≤ ${TARGETS.ingestMs} ms |
| transport floor (fetch + read every chunk) | | ${ms(transport)} | |
| heap after ingest (JS + wasm) | ${cell(oursHeap, MiB, TARGETS.heapMB * 1024 * 1024, no(ours))} | xterm.js ${MiB(xtHeap)}; JS array of the lines ${MiB(refs.jsHeap.jsAndWasm)} | ≤ ${TARGETS.heapMB} MB |
| filter update per keystroke incl. repaint (median) | ${cell(oursFilter, (x) => ms(x, 1), TARGETS.filterMs, no(ours) ?? ours.filterReason)} | JS \`includes\` ${ms(typedMed, 1)} per keystroke typing "${TYPED}"; ${ms(includesMed, 1)} over ${QUERIES.length} queries | ≤ ${TARGETS.filterMs} ms |
| regex filter (median) | | JS \`RegExp#test\` ${ms(regexpMed, 1)} | ≤ ${TARGETS.filterMs} ms |
| follow at ${r.rate.toLocaleString('en')} lines/s: frame time p95 | ${cell(oursFrames, (x) => ms(x, 1), TARGETS.frameP95Ms, r.oursFollow?.reason)}${r.oursFollow?.measured ? ` (interval p95 ${ms(p95(r.oursFollow.frames.intervals), 1)})` : ''} | xterm.js ${ms(p95(xtFollow.frames.costs), 1)} (interval p95 ${ms(p95(xtFollow.frames.intervals), 1)}; ${(xtFollow.lines / xtFollow.seconds).toFixed(0)} lines/s arrived) | ≤ ${TARGETS.frameP95Ms} ms |

Notes:
- xterm.js keeps ${wrapped.toLocaleString('en')} rows: at 160 columns a ${(bytes / lines).toFixed(0)}-byte line wraps into 2 rows,
  so its 200,000-row scrollback holds only the newest ~${Math.round(wrapped / 2).toLocaleString('en')} lines (its heap is for those).
- devcluster's own time for the log (Node fetching it directly): first request ${ms(r.serverCold.ms)} (it renders
  the backdated history once), then ${samples(r.server.map((s) => s.ms))} ms (first byte ${samples(r.server.map((s) => s.firstByte))} ms).
- Frame time: a frame's main-thread time from its start (rAF timestamp) to the first task after its
  rendering update (an idle page: p95 ${ms(p95(r.idleFrames.costs), 1)}); intervals are vsync-bound (60 Hz, ~16.7 ms when no frame is late).
  devcluster \`--log-rate ${r.rate}\`, the view following \`tailLines=1000&follow=true\`, ${FOLLOW_MS / 1000} s sampled after 1 s.

Raw samples (ms):
- transport: ${samples(refs.transport.map((t) => t.ms))} (${refs.transport[0]?.chunks} chunks)
- xterm.js parsed: ${samples(xt.map((x) => x.parsed))}; drawn: ${samples(xt.map((x) => x.drawn))}; all received: ${samples(xt.map((x) => x.received))}; first byte: ${samples(xt.map((x) => x.firstByte))}
- xterm.js heap (MB, V8 + backing stores): ${refs.xtermHeap.map((h) => `${mb(h.used).toFixed(1)} + ${mb(h.backingStorage).toFixed(1)}`).join('; ')}
- JS: \`fetch().text()\` + \`split('\\n')\` ${ms(js.split)}; heap ${mb(refs.jsHeap.used).toFixed(1)} + ${mb(refs.jsHeap.backingStorage).toFixed(1)} MB
${Object.entries(js.includes).map(([q, o]) => `- JS \`includes(${JSON.stringify(q)})\` → ${o.rows} rows: ${samples(o.samples, 1)}`).join('\n')}
${Object.entries(js.regexp).map(([q, o]) => `- JS \`/${q}/.test\` → ${o.rows} rows: ${samples(o.samples, 1)}`).join('\n')}
- JS typing "${TYPED}" (median per prefix): ${js.typed.map((t) => `${JSON.stringify(t.q)} ${med(t).toFixed(1)} (${t.rows} rows)`).join(', ')}
- xterm.js follow frames: ${frameLine(xtFollow.frames)}
${ours.measured ? `- ours: ${ours.lines ?? '?'} lines${ours.note ? ` (${ours.note})` : ''}, ingest ${ms(oursIngest)} from the first of ${ours.logFetches} log fetches (navigation → mark ${ms(ours.sinceNavigation)}); heap ${mb(ours.heap.used).toFixed(1)} JS + ${mb(ours.heap.backingStorage).toFixed(1)} buffers + ${mb(ours.heap.wasm ?? 0).toFixed(1)} wasm MB; filter ${ours.filter.map((f) => `${JSON.stringify(f.q)} ${f.ms.toFixed(1)} (${f.rows} rows)`).join(', ')}${ours.filterReason ? `; ${ours.filterReason}` : ''}` : `- ours: ${ours.reason}`}
${r.oursFollow?.measured ? `- ours follow frames: ${frameLine(r.oursFollow.frames)}` : `- ours follow: ${r.oursFollow?.reason}`}

Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${(r.machine.memory / 2 ** 30).toFixed(0)} GiB; Chromium ${r.machine.browser}; measured ${r.machine.date}.
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  stopAllOnSignals();
  const browser = await pw.launch({ headless: true, ...chromium });
  let out;
  try {
    out = await runLogBench(browser);
  } finally {
    await browser.close();
    await stopAll();
  }
  if (process.env.BENCH_LOGS_JSON) fs.writeFileSync(process.env.BENCH_LOGS_JSON, JSON.stringify(out.results, null, 1));
  console.log(out.md);
}

