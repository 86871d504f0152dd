// Watch-driven views: changes made with the real kubectl appear without a reload; hostile
// cluster data stays text.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';

test('a gateway scaled, created and deleted with kubectl shows up live', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-replicas')).toContainText('2');
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, 'kubesphere-router-kubesphere-system', '--type=merge', '-p', '{"spec":{"deployment":{"replicas":5}}}']);
  await expect(page.getByTestId('gateway-replicas')).toContainText('5');
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-kubesphere-system', '--wait=false']);
  await expect(page.getByTestId('empty-state')).toBeVisible({ timeout: 15_000 });
});

test('a dropped watch resumes where it was: no re-list, no replayed events, changes still arrive', async ({ page }) => {
  const env = await launch({ scenario: 'projects', faults: 'watch-drop=2s' });
  // every request for all gateways: lists and watches, with the resourceVersion they start at
  const requests = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!url.pathname.endsWith('/apis/gateway.kubesphere.io/v1alpha1/gateways')) return;
    requests.push({ watch: url.searchParams.get('watch') === 'true', rv: Number(url.searchParams.get('resourceVersion') || 0) });
  });
  const watches = () => requests.filter((r) => r.watch);
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(3);
  // two drops later (a third watch has started)…
  await expect.poll(() => watches().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  const before = watches().at(-1).rv;
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-blog', '--wait=false']);
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(2, { timeout: 15_000 });
  await expect(page.getByTestId('sync-state')).toHaveText('Live');
  // …the next watch resumes after the deletion's events (they are not replayed)…
  await expect.poll(() => watches().at(-1).rv, { timeout: 15_000 }).toBeGreaterThan(before);
  // …every watch resumed from a version at least as new as the one before, and the list was
  // made once: a dropped watch does not re-list
  const rvs = watches().map((w) => w.rv);
  expect(rvs.every((rv) => rv > 0)).toBe(true);
  expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
  expect(requests.filter((r) => !r.watch)).toHaveLength(1);
});

test('hostile strings from the cluster are shown as text, never as markup', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const env = await launch({ scenario: 'hostile' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await expect(page.getByTestId('gateway-card')).toContainText('<b>admin</b>');
  await expect(page.locator('[data-testid=gateway-card] b, [data-testid=gateway-card] img, [data-testid=gateway-card] script')).toHaveCount(0);
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(1);
  await expect(page.locator('svg[onload]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
