// `cargo xtask bench` (after the split release build): bytes per route from the browser's own
// network log, and the time from navigation to the first data with where it goes, median of
// ≥ 10 cold loads in headless Chromium against devcluster. Rewrites the measured part of
// BENCHMARKS.md (the hand-written "Size levers" section and what follows it are kept).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium as pw } from '@playwright/test';
import { chromium } from './playwright.config.mjs';
import { ROOT, launch, stopAll, stopAllOnSignals } from './harness.mjs';
import { runLogBench } from './bench-logs.mjs';
import { runMonitoringBench } from './bench-monitoring.mjs';
import { FIRST_PAINT_TARGET, FIRST_PAINT_LIMIT, fetchedFiles, sizes, total, waitForFirstData, shortName } from './first-paint.mjs';

stopAllOnSignals();

const LOADS = Math.max(10, Number(process.env.BENCH_LOADS || 11));
const FIRST_DATA_BUDGET_MS = 200;
const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;

/** Where the time of one load went (ms after navigation start), from Resource Timing + marks. */
function phasesInPage() {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const path = (e) => new URL(e.name).pathname;
  const find = (pred) => res.find((e) => pred(path(e), e.name));
  const wasm = find((p) => p.endsWith('_bg.wasm'));
  const js = find((p) => /\/pkg\/[0-9a-f]+\/gateway-console\.js$/.test(p));
  const config = find((p) => p.endsWith('/config.json'));
  const discovery = find((p) => p.endsWith('/k8s/api'));
  const list = find((p, url) => p.includes('/k8s/') && p.endsWith('/gateways') && !url.includes('watch='));
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const span = (e) => (e ? [e.startTime, e.responseEnd] : null);
  return {
    html: [0, nav.responseEnd],
    js: span(js),
    wasm: span(wasm),
    instantiate: wasm && mark('gateway-console:start') !== null ? [wasm.responseEnd, mark('gateway-console:start')] : null,
    config: span(config),
    discovery: span(discovery),
    list: span(list),
    render: list ? [list.responseEnd, mark('gateway-console:first-data')] : null,
    mount: [mark('gateway-console:start'), mark('gateway-console:config')],
    page: [mark('gateway-console:config'), mark('gateway-console:page')],
    firstData: mark('gateway-console:first-data'),
  };
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return { context, page: await context.newPage() };
}

const browser = await pw.launch({ headless: true, ...chromium });
let md;
try {
  const env = await launch({ scenario: 'nodeport' });
  // 1. bytes of the landing page, before its first data
  let { context, page } = await newPage(browser);
  await page.goto(env.url + '/');
  const firstData = await waitForFirstData(page);
  const landing = await sizes(await fetchedFiles(page, { beforeMs: firstData }));
  await context.close();

  // 2. a deep link to the details page: what it fetches beyond the landing page's files
  ({ context, page } = await newPage(browser));
  await page.goto(`${env.url}/gateways/${CS}/${CLUSTER_GW}`);
  await page.getByTestId('gateway-name').waitFor();
  const landingPaths = new Set(landing.map((r) => r.path));
  const details = (await sizes(await fetchedFiles(page))).filter((r) => !landingPaths.has(r.path));
  await context.close();

  // 3. opening the Enable dialog (no cluster gateway yet): what the click fetches
  const empty = await launch({ scenario: 'empty' });
  ({ context, page } = await newPage(browser));
  await page.goto(empty.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').waitFor();
  const before = new Set((await fetchedFiles(page)).map((f) => new URL(f.name).pathname));
  await page.getByTestId('enable-gateway').click();
  await page.getByTestId('gateway-dialog').waitFor();
  const dialog = (await sizes(await fetchedFiles(page))).filter((r) => !before.has(r.path));
  await context.close();

  // 4. time to first data, cold loads (new context: empty cache)
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    ({ context, page } = await newPage(browser));
    await page.goto(env.url + '/clusters/gateways');
    await waitForFirstData(page);
    loads.push(await page.evaluate(phasesInPage));
    await context.close();
  }

  const landingTotal = total(landing);
  const firstDatas = loads.map((l) => l.firstData);
  const med = median(firstDatas);
  const table = (rows) => rows.map((r) => `| ${shortName(r.path)} | ${r.bytes} | ${r.gzip} |`).join('\n');
  const phase = (name, label) => {
    const spans = loads.map((l) => l[name]).filter(Boolean);
    if (!spans.length) return `| ${label} | – | – | – |`;
    return `| ${label} | ${median(spans.map((s) => s[0])).toFixed(0)} | ${median(spans.map((s) => s[1])).toFixed(0)} | ${median(spans.map((s) => s[1] - s[0])).toFixed(0)} |`;
  };
  md = `# Benchmarks

Recorded by \`cargo xtask bench\`: the split release build (\`cargo xtask dist\`) served by
\`e2e/serve.mjs\` with devcluster (scenario \`nodeport\`), headless Chromium, cold cache.
Bytes are read from the browser's network log (Resource Timing) and gzip -9'd; API calls are
data and not counted. The size budget is also checked by \`e2e/tests/first-paint.spec.mjs\`
in \`cargo xtask test\`.

## Bytes before first data — landing page (\`/\` → cluster gateway)

| file | bytes | gzip -9 bytes |
|---|---:|---:|
${table(landing)}
| **total** | | **${landingTotal}** (${kib(landingTotal)}; target ${FIRST_PAINT_TARGET / 1024} KiB: ${landingTotal <= FIRST_PAINT_TARGET ? 'within' : 'OVER'}; guard ${FIRST_PAINT_LIMIT / 1024} KiB) |

## Extra bytes per route and action

| route / action | files | gzip -9 bytes |
|---|---|---:|
| deep link \`/gateways/${CS}/${CLUSTER_GW}\` (beyond the landing page's files) | ${details.map((r) => shortName(r.path)).join(', ') || '–'} | ${total(details)} (${kib(total(details))}) |
| open the Enable dialog | ${dialog.map((r) => shortName(r.path)).join(', ') || '–'} | ${total(dialog)} (${kib(total(dialog))}) |

## Time to first data

Navigation start → \`performance.mark("gateway-console:first-data")\` (the cluster gateway card
rendered from the list), ${LOADS} cold loads.

| median | min | max | budget |
|---:|---:|---:|---:|
| ${med.toFixed(0)} ms | ${Math.min(...firstDatas).toFixed(0)} ms | ${Math.max(...firstDatas).toFixed(0)} ms | ${FIRST_DATA_BUDGET_MS} ms (${med <= FIRST_DATA_BUDGET_MS ? 'within' : 'OVER'}) |

Samples (ms): ${firstDatas.map((x) => x.toFixed(0)).join(', ')}

Where the time goes (medians, ms after navigation start; each row is a span of its own):

| phase | starts | ends | takes |
|---|---:|---:|---:|
${phase('html', 'index.html')}
${phase('js', 'js glue (modulepreload)')}
${phase('wasm', 'wasm download (preload)')}
${phase('instantiate', 'compile + instantiate, to `main()`')}
${phase('config', '`config.json` (preload)')}
${phase('mount', '`main()` to config read')}
${phase('page', 'config read to the page starting its requests')}
${phase('discovery', 'discovery probe `GET /api`')}
${phase('list', 'gateway list')}
${phase('render', 'render, to first data')}

Machine: ${os.cpus().length} cores; measured ${new Date().toISOString().slice(0, 10)}.
`;
  // the Logs tab against xterm.js and plain JS (its own devclusters, the same browser)
  const logs = await runLogBench(browser);
  md += '\n' + logs.md;
  // the Monitoring tab against a real Prometheus (its own devcluster, the same browser)
  md += '\n' + (await runMonitoringBench(browser)).md;
} finally {
  await browser.close();
  await stopAll();
}

const file = path.join(ROOT, 'BENCHMARKS.md');
const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
const keep = old.indexOf('\n## Size levers');
fs.writeFileSync(file, md + (keep >= 0 ? old.slice(keep) : ''));
console.log(md);
