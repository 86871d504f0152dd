// The split build: the landing page fetches only the first screen (the size guard, in bytes:
// deterministic), the other parts arrive as chunks when first shown, and a chunk that cannot be
// loaded is a message with Reload, never a dead page.
import { test, expect } from '../fixtures.mjs';
import { launch, stopAll } from '../harness.mjs';
import { FIRST_PAINT_LIMIT, fetchedFiles, sizes, total, waitForFirstData, shortName } from '../first-paint.mjs';

test.afterEach(stopAll);

const isChunk = (url) => /\/pkg\/[0-9a-f]{12}\/(split|chunk)_[^/]*\.wasm$/.test(url);

test(`size guard: everything fetched before the first data is ≤ ${FIRST_PAINT_LIMIT / 1024} KiB gzip (ratchet; target 350)`, async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/');
  const firstData = await waitForFirstData(page);
  const rows = await sizes(await fetchedFiles(page, { beforeMs: firstData }));
  const report = rows.map((r) => `${shortName(r.path)} ${r.gzip}`).join(', ');
  // the files of the first screen, and nothing loaded on demand
  expect(rows.every((r) => r.status === 200), report).toBe(true);
  expect(rows.some((r) => r.path.endsWith('_bg.wasm')), report).toBe(true);
  expect(rows.filter((r) => isChunk(r.url)), report).toEqual([]);
  expect(total(rows), report).toBeLessThanOrEqual(FIRST_PAINT_LIMIT);
});

test('the Enable dialog and the project gateways table are chunks, loaded when first shown', async ({ page }) => {
  const env = await launch({ scenario: 'empty' });
  const chunks = [];
  page.on('request', (r) => { if (isChunk(r.url())) chunks.push(new URL(r.url()).pathname.split('/').pop()); });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  expect(chunks).toEqual([]);
  await page.getByTestId('enable-gateway').click();
  await expect(page.getByTestId('gateway-dialog')).toBeVisible();
  expect(chunks).toContain('split_gateway_dialog.wasm');
  await page.getByTestId('dialog-cancel').click();
  await expect(page.getByTestId('gateway-dialog')).toHaveCount(0);
  // a second opening needs no new fetch
  const before = chunks.length;
  await page.getByTestId('enable-gateway').click();
  await expect(page.getByTestId('gateway-dialog')).toBeVisible();
  expect(chunks.length).toBe(before);
  await page.getByTestId('dialog-cancel').click();
  await page.getByTestId('tab-project').click();
  await expect(page.getByTestId('project-gateway-table')).toBeVisible();
  expect(chunks).toContain('split_project_gateways_tab.wasm');
});

test('a deep link to the details page loads its chunk and shows the gateway; ECharts comes only with the first chart', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const chunks = [];
  const echarts = [];
  page.on('request', (r) => {
    if (isChunk(r.url())) chunks.push(new URL(r.url()).pathname.split('/').pop());
    if (r.url().endsWith('/vendor/echarts.min.js')) echarts.push(r.url());
  });
  await page.goto(env.url + '/gateways/kubesphere-controls-system/kubesphere-router-kubesphere-system/resource-status');
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-kubesphere-system');
  await expect(page.getByTestId('replicas-card')).toBeVisible();
  expect(chunks).toContain('split_gateway_details.wasm');
  expect(chunks).toContain('split_details_resource_status.wasm');
  expect(chunks).not.toContain('split_details_monitoring.wasm');
  expect(echarts).toEqual([]);
  await page.getByTestId('tab-monitors').click();
  await expect(page.getByTestId('chart').first()).toBeAttached();
  expect(chunks).toContain('split_details_monitoring.wasm');
  await expect.poll(() => echarts.length).toBe(1);
});

test('a chunk that cannot be loaded: a message with Reload, the rest of the app keeps working', async ({ page }) => {
  const env = await launch({ scenario: 'empty' });
  let block = true;
  await page.route(/split_gateway_dialog\.wasm$/, (route) => (block ? route.abort('failed') : route.continue()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').click();
  const failed = page.getByTestId('chunk-failed');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('could not be loaded');
  await expect(page.getByTestId('gateway-dialog')).toHaveCount(0);
  // the app did not die: Close dismisses, navigation still works
  await failed.getByTestId('chunk-dismiss').click();
  await expect(failed).toHaveCount(0);
  await page.getByTestId('tab-project').click();
  await expect(page.getByTestId('project-gateway-table')).toBeVisible();
  await page.getByTestId('tab-cluster').click();
  // once the network is back, trying again loads it (a failed load is not cached)
  block = false;
  await page.getByTestId('enable-gateway').click();
  await expect(page.getByTestId('gateway-dialog')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a page chunk gone from the server (new deploy): Reload fetches the current build', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  let gone = true;
  await page.route(/split_gateway_details\.wasm$/, (route) => (gone
    ? route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' })
    : route.continue()));
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-view-details').click();
  const failed = page.getByTestId('chunk-failed');
  await expect(failed).toBeVisible();
  await expect(failed.getByTestId('chunk-dismiss')).toHaveCount(0); // a page has nothing to go back to but Reload
  gone = false;
  await failed.getByTestId('chunk-reload').click();
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-kubesphere-system');
  await expect(page.getByTestId('chunk-failed')).toHaveCount(0);
});
