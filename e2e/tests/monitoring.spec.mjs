// Details → Monitoring against a real Prometheus (backfilled history + live scrapes of
// devcluster's gateway pods), reached only through the API server's service proxy.
import { test, expect } from '../fixtures.mjs';
import { launch, stopAll } from '../harness.mjs';

test.afterEach(stopAll);
// a cold start writes the first blocks of the 7-day backfill (≈ 10–25 s on 2 cores) before the test
test.describe.configure({ timeout: 120_000 });

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';
const MONITORS = `/gateways/${CS}/${CLUSTER_GW}/monitors`;

/** The app's Prometheus requests (query, time/start/end/step), as it sent them. */
function promRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.includes('/services/prometheus-k8s:9090/proxy/api/v1/')) seen.push(u);
  });
  return seen;
}

/** Series names of the chart `name`, read from its ECharts instance. */
const seriesNames = (page, name) => page.evaluate((n) => {
  const el = document.querySelector(`[data-chart="${n}"]`);
  const chart = el && window.echarts && window.echarts.getInstanceByDom(el);
  return chart ? chart.getOption().series.map((s) => s.name) : null;
}, name);

async function promQuery(env, params) {
  const u = new URL((env.prometheus?.url ?? env.prometheus) + '/api/v1/query');
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const body = await (await fetch(u)).json();
  expect(body.status).toBe('success');
  return body.data.result;
}

test('a project gateway: every overview value is what Prometheus answers for the same PromQL; the charts draw their series', async ({ page }) => {
  const env = await launch({ scenario: 'projects', prometheus: true });
  const sent = promRequests(page);
  // a fixed window in the backfilled past: the numbers do not move while we compare
  const end = Math.floor(Date.now() / 1000) - 3600;
  const start = end - 3600;
  await page.goto(env.url + `/gateways/${CS}/kubesphere-router-shop/monitors?from=${start}&to=${end}`);
  for (const id of ['total', '4xx', '5xx', 'success', 'avg', 'p50', 'p95', 'p99']) {
    await expect(page.getByTestId(`overview-${id}`)).not.toHaveText('…', { timeout: 20_000 });
  }
  const instants = sent.filter((u) => u.pathname.endsWith('/api/v1/query'));
  for (const id of ['total', '5xx', 'success', 'p95']) {
    const shown = Number(await page.getByTestId(`overview-${id}`).getAttribute('data-value'));
    expect(Number.isFinite(shown), id).toBe(true);
    // the request the app made for this value, asked of Prometheus directly
    const match = [];
    for (const u of instants) {
      const result = await promQuery(env, { query: u.searchParams.get('query'), time: u.searchParams.get('time') });
      if (result.length === 1 && Math.abs(Number(result[0].value[1]) - shown) < 1e-9) match.push(u.searchParams.get('query'));
    }
    expect(match.length, `${id}: no query of the app gives ${shown}`).toBeGreaterThan(0);
    expect(Number(instants[0].searchParams.get('time'))).toBe(end);
  }
  // a project gateway's requests are its project's
  expect(instants.some((u) => u.searchParams.get('query').includes('exported_namespace="shop"'))).toBe(true);
  expect(Number(await page.getByTestId('overview-total').getAttribute('data-value'))).toBeGreaterThan(0);
  // charts: canvases with the expected series
  await expect(page.locator('[data-chart] canvas').first()).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => seriesNames(page, 'latency')).toEqual(['P50 latency', 'P95 latency', 'P99 latency', 'Average latency']);
  await expect.poll(() => seriesNames(page, 'network')).toEqual(['Received', 'Sent']);
  await expect.poll(() => seriesNames(page, 'failed')).toEqual(['4XX requests', '5XX requests']);
  await expect.poll(async () => (await seriesNames(page, 'cpu'))?.length ?? 0).toBeGreaterThan(0);
  // ranges stay under 300 points
  for (const u of sent.filter((x) => x.pathname.endsWith('/query_range'))) {
    const points = (Number(u.searchParams.get('end')) - Number(u.searchParams.get('start'))) / Number(u.searchParams.get('step'));
    expect(points).toBeLessThanOrEqual(300);
  }
});

test('the pod filter changes the numbers and is in the URL; the URL restores the view', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', prometheus: true });
  const end = Math.floor(Date.now() / 1000) - 1800;
  const start = end - 3 * 3600;
  await page.goto(env.url + `${MONITORS}?from=${start}&to=${end}`);
  const total = page.getByTestId('overview-total');
  await expect(total).not.toHaveText('…', { timeout: 20_000 });
  const all = Number(await total.getAttribute('data-value'));
  const pod = await page.getByTestId('pod-select').locator('option').nth(1).getAttribute('value');
  await page.getByTestId('pod-select').selectOption(pod);
  await expect(page).toHaveURL(new RegExp(`pod=${pod}`));
  await expect.poll(async () => Number(await total.getAttribute('data-value'))).toBeLessThan(all);
  await expect.poll(async () => (await seriesNames(page, 'cpu')) ?? []).toEqual([pod]);
  // reload: the same view
  await page.reload();
  await expect(page.getByTestId('pod-select')).toHaveValue(pod);
  await expect(page.getByTestId('range-select')).toHaveValue('custom');
  await expect(page.getByTestId('range-from')).toBeVisible();
  await page.goto(env.url + `${MONITORS}?range=3h&refresh=10`);
  await expect(page.getByTestId('range-select')).toHaveValue('3h');
  await expect(page.getByTestId('refresh-select')).toHaveValue('10');
});

test('custom range errors are explained by the fields; auto-refresh asks again by itself', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', prometheus: true });
  const sent = promRequests(page);
  await page.goto(env.url + MONITORS);
  await expect(page.getByTestId('overview-total')).not.toHaveText('…', { timeout: 20_000 });
  await page.getByTestId('range-select').selectOption('custom');
  await page.getByTestId('range-from').fill('2026-01-02T10:00');
  await page.getByTestId('range-to').fill('2026-01-02T09:00');
  await page.getByTestId('range-apply').click();
  await expect(page.getByTestId('range-error')).toHaveText('The end must be after the start.');
  await page.getByTestId('range-from').fill('2025-01-01T00:00');
  await page.getByTestId('range-to').fill('2025-03-01T00:00');
  await page.getByTestId('range-apply').click();
  await expect(page.getByTestId('range-error')).toHaveText('A range can be at most 30 days.');
  // a preset again, then auto-refresh every 5 s
  await page.getByTestId('range-select').selectOption('10m');
  await expect(page).toHaveURL(/range=10m/);
  await page.getByTestId('refresh-select').selectOption('5');
  const before = sent.length;
  await expect.poll(() => sent.length, { timeout: 15_000 }).toBeGreaterThan(before + 10);
  await page.getByTestId('refresh-select').selectOption('0');
});

test('the backfilled 5xx burst shows on the failed-requests chart; a theme switch re-creates the charts', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', prometheus: true });
  await page.goto(env.url + `${MONITORS}?range=1h`);
  const fiveXX = () => page.evaluate(() => {
    const el = document.querySelector('[data-chart="failed"]');
    const chart = el && window.echarts && window.echarts.getInstanceByDom(el);
    const s = chart && chart.getOption().series.find((x) => x.name === '5XX requests');
    return s ? s.data.map((p) => p[1] ?? 0) : null;
  });
  await expect.poll(async () => ((await fiveXX()) ?? []).length, { timeout: 20_000 }).toBeGreaterThan(10);
  const values = (await fiveXX()).filter((v) => Number.isFinite(v));
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  expect(Math.max(...values)).toBeGreaterThan(5 * Math.max(median, 0.01));

  const instanceId = () => page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('[data-chart="failed"]'))?.id);
  const id = await instanceId();
  await page.getByTestId('theme-switch').selectOption('dark');
  await expect.poll(instanceId).not.toBe(id);
  await expect.poll(() => page.evaluate(() => window.echarts.getInstanceByDom(document.querySelector('[data-chart="failed"]'))?.getOption().darkMode)).toBe(true);
});

test('no chart outlives its view: 50 tab switches leave only the shown charts', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', prometheus: true });
  await page.goto(env.url + MONITORS);
  await expect(page.locator('[data-chart] canvas').first()).toBeVisible({ timeout: 20_000 });
  const charts = await page.locator('[data-chart]').count();
  for (let i = 0; i < 25; i++) {
    await page.getByTestId('tab-metadata').click();
    await expect(page.getByTestId('yaml-view')).toBeVisible();
    await page.getByTestId('tab-monitors').click();
    await expect(page.locator('[data-chart]')).toHaveCount(charts);
  }
  await expect(page.locator('[data-chart] canvas').first()).toBeVisible({ timeout: 20_000 });
  // ECharts marks each live instance's element
  expect(await page.locator('[_echarts_instance_]').count()).toBe(charts);
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  console.log(`JS heap after 50 tab switches: ${(heap / 1048576).toFixed(1)} MiB`);
});
