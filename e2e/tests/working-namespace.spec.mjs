// Where project gateways live (kubesphere-config `gateway.namespace`): a custom working
// namespace, one namespace per project, and nothing started before it is known.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const WORKLOADS = /\/namespaces\/([^/]+)\/(services|deployments)\?(?!.*ks-router)/; // (not the legacy list)

test('custom working namespace: rows, workloads and a new project gateway live there', async ({ page }) => {
  const env = await launch({ scenario: 'custom-namespace' });
  // hold the kubesphere-config read: meanwhile nothing namespace-bound starts and Enable is not offered
  let release;
  const released = new Promise((r) => { release = r; });
  await page.route((url) => url.pathname.endsWith('/namespaces/kubesphere-system/configmaps'), async (route) => { await released; await route.continue(); });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(env.url + '/projects/blog/gateways');
  await expect(page.locator('.skeleton-card[aria-busy=true]').first()).toBeVisible();
  await page.waitForTimeout(300);
  expect(requests.filter((u) => WORKLOADS.test(u))).toEqual([]);
  await expect(page.getByTestId('enable-gateway')).toHaveCount(0);
  release();

  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-blog');
  await expect(page.getByTestId('gateway-replicas')).toHaveText('1/1 ready', { timeout: 15_000 });
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', 'ingress-gateways', 'kubesphere-router-blog', '-o', 'json']));
  expect(gw.spec.controller.scope).toEqual({ enabled: true, namespace: 'blog' });
  // every workload watch of the page is in the working namespace
  const namespaces = new Set(requests.filter((u) => WORKLOADS.test(u)).map((u) => u.match(WORKLOADS)[1]));
  expect([...namespaces]).toEqual(['ingress-gateways']);

  await page.goto(env.url + '/clusters/gateways?tab=project');
  const rows = page.getByTestId('project-gateway-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'kubesphere-router-demo' }).getByTestId('row-replicas')).toHaveText('1/1', { timeout: 15_000 });
  await expect(rows.filter({ hasText: 'kubesphere-router-demo' }).getByTestId('row-address')).toHaveText('192.168.0.2');
});

test('one namespace per project: the table shows each gateway\'s workloads and reviews permissions where it lives', async ({ page }) => {
  const env = await launch({ scenario: 'per-project' });
  const reviewed = [];
  page.on('request', (r) => {
    if (r.url().includes('selfsubjectaccessreviews')) reviewed.push(JSON.parse(r.postData() || '{}').spec?.resourceAttributes?.namespace ?? '(all)');
  });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  const rows = page.getByTestId('project-gateway-row');
  await expect(rows).toHaveCount(2);
  const demo = rows.filter({ hasText: 'kubesphere-router-demo' });
  await expect(demo.getByTestId('row-replicas')).toHaveText('1/1', { timeout: 15_000 });
  await expect(demo.getByTestId('row-address')).toHaveText('192.168.0.2');
  await demo.getByTestId('manage-button').click();
  await expect(page.getByTestId('manage-edit')).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect.poll(() => [...new Set(reviewed)].sort()).toEqual(['(all)', 'demo', 'shop']);

  // a project gateway enabled from its project page lands in the project
  await page.goto(env.url + '/projects/blog/gateways');
  await page.getByTestId('enable-gateway').click();
  await page.getByTestId('gateway-dialog').getByTestId('dialog-ok').click();
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-blog');
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', 'blog', 'kubesphere-router-blog', '-o', 'json']));
  expect(gw.metadata.namespace).toBe('blog');
  await expect(page.getByTestId('gateway-replicas')).toHaveText('1/1 ready', { timeout: 15_000 });
});

test('kubesphere-config cannot be read: the default is assumed and said', async ({ page }) => {
  const env = await launch({ scenario: 'projects', faults: 'fail=kubesphere-config' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('working-namespace-assumed')).toContainText('assuming kubesphere-controls-system');
  await expect(page.getByTestId('working-namespace-assumed')).toContainText('injected fault');
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(3);
  await expect(page.getByTestId('row-replicas').first()).toHaveText(/^\d\/\d$/, { timeout: 15_000 });
});
