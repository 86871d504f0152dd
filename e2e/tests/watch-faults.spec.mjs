// The watch layer never fails silently: an ERROR event, an undecodable event, a proxy that
// closes every stream at once and a proxy that never answers all become visible state, and
// the page recovers (re-list, then resume) without a reload.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';
const isGatewayWatch = (url) => /\/gateways\?/.test(url) && url.includes('watch=true');
const isGatewayList = (url) => /\/k8s\/.*\/gateways\?/.test(url) && !url.includes('watch=true');

/** Serves the first `times` gateway watches with `body`, then lets them through. */
async function breakWatches(page, body, times = 1, only = () => true) {
  let served = 0;
  const watches = [];
  await page.route((url) => isGatewayWatch(url.toString()) && only(url.toString()), async (route) => {
    watches.push(Date.now());
    if (served < times) {
      served += 1;
      return route.fulfill({ status: 200, contentType: 'application/json', body });
    }
    return route.continue();
  });
  return watches;
}

async function expectRecovered(page, env) {
  await expect(page.getByTestId('sync-state')).toHaveText('Live', { timeout: 20_000 });
  await expect(page.getByTestId('sync-message')).toHaveCount(0);
  // and it is really live again: a kubectl change arrives without a reload
  await kubectl(env.cluster, ['-n', CS, 'patch', 'gateway', CLUSTER_GW, '--type=merge', '-p', '{"spec":{"deployment":{"replicas":4}}}']);
  await expect(page.getByTestId('gateway-replicas')).toContainText('4', { timeout: 20_000 });
}

test('an ERROR event other than 410 is shown with the server message, then re-listed and resumed', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const lists = [];
  page.on('request', (r) => { if (isGatewayList(r.url())) lists.push(r.url()); });
  const error = { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'etcdserver: request timed out' } };
  await breakWatches(page, JSON.stringify(error) + '\n');
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('sync-message')).toContainText('etcdserver: request timed out');
  await expect(page.getByTestId('sync-state')).toHaveText('Reconnecting…');
  await expectRecovered(page, env);
  expect(lists.length).toBe(2); // the first list, and the re-list after the error
});

test('an undecodable event is shown and the list is reloaded (the cache never silently diverges)', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const lists = [];
  page.on('request', (r) => { if (isGatewayList(r.url())) lists.push(r.url()); });
  await breakWatches(page, '{"type":"MODIFIED","object":{"metadata":{"name":42}}}\n');
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('sync-message')).toContainText('Unexpected answer from the server');
  await expectRecovered(page, env);
  expect(lists.length).toBe(2);
});

test('a proxy that closes every watch at once: the client backs off instead of spinning', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const watches = await breakWatches(page, '', 1000);
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await page.waitForTimeout(4000);
  // jittered 0.5–1 s, 1–2 s, 2–4 s …: at most 5 attempts in 4 s (a hot loop makes hundreds)
  expect(watches.length).toBeGreaterThanOrEqual(2);
  expect(watches.length).toBeLessThanOrEqual(5);
  const gaps = watches.slice(1).map((t, i) => t - watches[i]);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(400);
});

test('a hanging proxy ends in the timeout message, not an endless spinner, and recovers', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.route(/\/config\.json$/, (route) => route.fulfill({
    status: 200, contentType: 'application/json', body: JSON.stringify({ apiBase: '/k8s', requestTimeoutSeconds: 2 }),
  }));
  let hang = true;
  await page.route((url) => isGatewayList(url.toString()), async (route) => {
    if (hang) return; // never answered: the proxy hangs
    return route.continue();
  });
  await page.goto(env.url + '/clusters/gateways');
  const error = page.getByTestId('inline-error');
  await expect(error).toContainText('The request timed out.', { timeout: 8_000 });
  hang = false;
  await expect(page.getByTestId('gateway-card')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('sync-state')).toHaveText('Live');
});

test('leaving the page ends its watches at once, also while they back off', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  // only the cluster card's watch (the table's has no field selector)
  const watches = await breakWatches(page, '', 1000, (url) => url.includes('fieldSelector'));
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await expect.poll(() => watches.length).toBeGreaterThanOrEqual(2);
  await page.getByTestId('tab-project').click();
  await expect(page.getByTestId('project-gateway-table')).toBeVisible();
  const before = watches.length;
  await page.waitForTimeout(3000);
  expect(watches.length).toBe(before);
});
