// Project Gateways table (cluster page) and Project → Gateway Settings: search, sort, pages,
// live workloads, batch disable, coexistence rules, legacy gateways, enabling a project gateway.
import { test, expect } from '../fixtures.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';

test('table: live workloads per row, search, sort, batch disable', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  const rows = page.getByTestId('project-gateway-row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('table-total')).toHaveText('Total: 3');
  // workloads from the shared watches of the working namespace
  const demo = rows.filter({ hasText: 'kubesphere-router-demo' });
  await expect(demo.getByTestId('row-address')).toHaveText('192.168.0.2');
  await expect(demo.getByTestId('row-node-ports')).toHaveText(/^\d+ \/ \d+$/);
  await expect(demo.getByTestId('row-replicas')).toHaveText('1/1');
  await expect(demo.getByTestId('row-health')).toHaveText('Running');
  const shop = rows.filter({ hasText: 'kubesphere-router-shop' });
  await expect(shop.getByTestId('row-address')).toHaveText(/^139\.198\./, { timeout: 15_000 });

  // sort by name, both directions (aria-sort follows)
  await page.getByTestId('sort-NAME').click();
  await expect(page.getByTestId('row-project')).toHaveText(['blog', 'demo', 'shop']);
  await page.getByTestId('sort-NAME').click();
  await expect(page.getByTestId('row-project')).toHaveText(['shop', 'demo', 'blog']);
  await expect(page.locator('th[aria-sort="descending"]')).toHaveCount(1);

  // search by project
  await page.getByTestId('table-search').fill('SHO');
  await expect(page.getByTestId('row-project')).toHaveText(['shop']);
  await page.getByTestId('table-search').fill('nothing-like-this');
  await expect(page.getByTestId('table-empty')).toHaveText('No Matching Result Found');
  await page.getByTestId('table-search').fill('');

  // a scale made with kubectl shows up in the row
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, 'kubesphere-router-demo', '--type=merge', '-p', '{"spec":{"deployment":{"replicas":2}}}']);
  await expect(demo.getByTestId('row-replicas')).toHaveText('2/2', { timeout: 15_000 });

  // batch disable two of them: both names must be typed
  await expect(page.getByTestId('batch-disable')).toBeDisabled();
  await demo.getByTestId('row-select').check();
  await rows.filter({ hasText: 'kubesphere-router-blog' }).getByTestId('row-select').check();
  await expect(page.getByTestId('batch-disable')).toHaveText('Disable (2)');
  await page.getByTestId('batch-disable').click();
  const dialog = page.getByTestId('disable-dialog');
  await expect(dialog).toContainText('Disable Multiple Gateways');
  await dialog.getByTestId('disable-confirm-input').fill('kubesphere-router-demo');
  await expect(dialog.getByTestId('disable-ok')).toBeDisabled();
  await dialog.getByTestId('disable-confirm-input').fill('kubesphere-router-blog, kubesphere-router-demo');
  await dialog.getByTestId('disable-ok').click();
  await expect(rows).toHaveCount(1, { timeout: 20_000 });
  await expect(page.getByTestId('row-project')).toHaveText(['shop']);
  await expect(page.getByTestId('batch-disable')).toHaveText('Disable (0)');
});

test('table: row Manage → Edit changes that gateway', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  const blog = page.getByTestId('project-gateway-row').filter({ hasText: 'kubesphere-router-blog' });
  await blog.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await expect(dialog).toContainText('Edit Gateway kubesphere-router-blog');
  await expect(dialog.getByTestId('config-key')).toHaveCount(3);
  await dialog.getByTestId('tracing').check();
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, 'kubesphere-router-blog', '-o', 'json']));
  expect(gw.spec.deployment.annotations['servicemesh.kubesphere.io/enabled']).toBe('true');
  expect(gw.spec.controller.config).toEqual({ 'worker-processes': '4', 'proxy-body-size': '8m', 'use-gzip': 'true' });
});

test('large: 1,000 gateways are paged and searchable', async ({ page }) => {
  const env = await launch({ scenario: 'large' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('table-total')).toHaveText('Total: 1000', { timeout: 20_000 });
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(20);
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 1 of 50');
  await page.getByTestId('page-next').click();
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 2 of 50');
  await expect(page.getByTestId('page-prev')).toBeEnabled();
  await page.getByTestId('table-search').fill('project-0999');
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(1);
  await expect(page.getByTestId('page-indicator')).toHaveText('Page 1 of 1');
  await expect(page.getByTestId('row-replicas')).toHaveText('3/3', { timeout: 20_000 });
  // a project page watches only its own (and the cluster's) gateway workloads
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(env.url + '/projects/project-0500/gateways');
  await expect(page.getByTestId('gateway-replicas')).toHaveText('3/3 ready', { timeout: 20_000 });
  const deploymentLists = requests.filter((u) => u.includes('/deployments?'));
  expect(deploymentLists.length).toBeGreaterThan(0);
  for (const u of deploymentLists) expect(decodeURIComponent(u)).toContain('kubesphere-router-project-0500-ingress');
});

test('project page: a project admin enables their project gateway; the card is live', async ({ page }) => {
  const env = await launch({ scenario: 'empty', as: 'project-admin:demo' });
  await page.goto(env.url + '/projects/demo/gateways');
  await expect(page.getByTestId('coexistence-tip')).toHaveCount(0);
  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-demo');
  await expect(page.getByTestId('gateway-health')).toHaveText('Running', { timeout: 15_000 });
  await expect(page.getByTestId('gateway-address')).toHaveText('192.168.0.2');
  await expect(page.getByTestId('gateway-replicas')).toHaveText('1/1 ready');
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, 'kubesphere-router-demo', '-o', 'json']));
  expect(gw.spec.controller.scope).toEqual({ enabled: true, namespace: 'demo' });
  expect(gw.metadata.annotations['kubesphere.io/creator']).toBe('demo-admin');
});

test('project page: the cluster gateway blocks a project gateway, shown read-only with the tip', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/projects/demo/gateways');
  await expect(page.getByTestId('coexistence-tip')).toBeVisible();
  const cards = page.getByTestId('gateway-card');
  await expect(cards).toHaveCount(1);
  await expect(cards.getByTestId('manage-button')).toHaveCount(0);
  await expect(cards.getByTestId('gateway-address')).toHaveText('192.168.0.2');
  await expect(page.getByTestId('enable-gateway')).toBeDisabled();
  await expect(page.getByTestId('enable-reason')).toContainText('The cluster gateway is enabled');
  // disabling the cluster gateway with kubectl lifts the block, live
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-kubesphere-system', '--wait=false']);
  await expect(page.getByTestId('enable-gateway')).toBeEnabled({ timeout: 20_000 });
});

test('legacy gateways are marked in the table and block a new project gateway', async ({ page }) => {
  const env = await launch({ scenario: 'legacy' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  const legacy = page.getByTestId('legacy-row');
  await expect(legacy).toHaveCount(1);
  await expect(legacy).toContainText('kubesphere-router-legacy');
  await expect(legacy).toContainText('Legacy');
  // a legacy row is a row: counted, and no "No project gateways" under it
  await expect(page.getByTestId('table-total')).toHaveText('Total: 1');
  await expect(page.getByTestId('table-empty')).toHaveCount(0);
  await page.getByTestId('table-search').fill('no-such-project');
  await expect(legacy).toHaveCount(0);
  await expect(page.getByTestId('table-total')).toHaveText('Total: 0');
  await expect(page.getByTestId('table-empty')).toHaveText('No Matching Result Found');
  await page.getByTestId('table-search').fill('');
  // …and sorted with the others: a gateway created with kubectl comes first (newest first),
  // and sorting by name puts "alpha" before "legacy"
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gw-')), 'alpha.json');
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'gateway.kubesphere.io/v1alpha1', kind: 'Gateway',
    metadata: { name: 'kubesphere-router-zeta', namespace: CS },
    spec: { controller: { scope: { enabled: true, namespace: 'zeta' } }, deployment: { replicas: 1 }, service: { type: 'NodePort' } },
  }));
  await kubectl(env.cluster, ['create', '-f', file]);
  const names = page.locator('[data-testid=project-gateway-row] [data-testid=row-name], [data-testid=legacy-row] .data-table__name');
  await expect(names).toHaveText([/kubesphere-router-zeta/, /kubesphere-router-legacy/]);
  await expect(page.getByTestId('table-total')).toHaveText('Total: 2');
  await page.getByTestId('sort-NAME').click();
  await expect(names).toHaveText([/kubesphere-router-legacy/, /kubesphere-router-zeta/]);

  await page.goto(env.url + '/projects/legacy/gateways');
  await expect(page.getByTestId('enable-gateway')).toBeDisabled();
  await expect(page.getByTestId('enable-reason')).toContainText('legacy gateway');
});

test('a failed legacy-gateway check keeps Enable blocked and says why; the table says what is missing', async ({ page }) => {
  const env = await launch({ scenario: 'legacy', faults: 'fail=ks-router' });
  await page.goto(env.url + '/projects/legacy/gateways');
  await expect(page.getByTestId('enable-gateway')).toBeDisabled();
  await expect(page.getByTestId('enable-reason')).toContainText('Could not check for a legacy gateway');
  await expect(page.getByTestId('enable-reason')).toContainText('injected fault');
  // Retry asks again (and fails again: the fault stays), the block stays
  const relisted = page.waitForRequest((r) => r.url().includes('ks-router'));
  await page.getByTestId('legacy-retry').click();
  await relisted;
  await expect(page.getByTestId('enable-gateway')).toBeDisabled();
  await expect(page.getByTestId('enable-reason')).toContainText('injected fault');

  await page.goto(env.url + '/clusters/gateways?tab=project');
  const notice = page.getByTestId('legacy-check-failed');
  await expect(notice).toContainText('Legacy gateways (KubeSphere 3.0/3.1) could not be listed');
  await expect(notice).toContainText('injected fault');
  await expect(page.getByTestId('legacy-row')).toHaveCount(0);
});

test('table: cancelling batch Disable keeps the selection', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  const rows = page.getByTestId('project-gateway-row');
  await expect(rows).toHaveCount(3);
  await rows.filter({ hasText: 'kubesphere-router-demo' }).getByTestId('row-select').check();
  await rows.filter({ hasText: 'kubesphere-router-blog' }).getByTestId('row-select').check();
  await page.getByTestId('batch-disable').click();
  await page.getByTestId('disable-dialog').getByTestId('dialog-cancel').click();
  await expect(page.getByTestId('disable-dialog')).toHaveCount(0);
  await expect(page.getByTestId('batch-disable')).toHaveText('Disable (2)');
  await expect(rows.filter({ hasText: 'kubesphere-router-demo' }).getByTestId('row-select')).toBeChecked();
  // a gateway disabled elsewhere leaves the selection as it goes into Disabling
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-blog', '--wait=false']);
  await expect(page.getByTestId('batch-disable')).toHaveText('Disable (1)', { timeout: 20_000 });
});

test('table: the Edit dialog outlives its row; the save then explains the gateway is gone', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  const blog = page.getByTestId('project-gateway-row').filter({ hasText: 'kubesphere-router-blog' });
  await blog.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await expect(dialog).toContainText('Edit Gateway kubesphere-router-blog');
  await dialog.getByTestId('tracing').check();
  // someone else removes the gateway: its row goes away, the dialog and the input stay
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-blog']);
  await expect(blog).toHaveCount(0, { timeout: 20_000 });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('tracing')).toBeChecked();
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toContainText('not found');
  await expect(dialog.getByTestId('tracing')).toBeChecked();
});

test('Update turns a legacy gateway into a Gateway with its settings (project page)', async ({ page }) => {
  const env = await launch({ scenario: 'legacy' });
  await page.goto(env.url + '/projects/legacy/gateways');
  await page.getByTestId('legacy-update').click();
  const dialog = page.getByTestId('legacy-update-dialog');
  await expect(dialog).toContainText('kubesphere-router-legacy');
  await dialog.getByTestId('legacy-update-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-legacy');
  await expect(page.getByTestId('gateway-health')).toHaveText('Running', { timeout: 15_000 });
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, 'kubesphere-router-legacy', '-o', 'json']));
  expect(gw.spec.service.type).toBe('NodePort');
  expect(gw.spec.controller.scope).toEqual({ enabled: true, namespace: 'legacy' });
  expect(gw.spec.controller.config).toEqual({ 'use-gzip': 'true' });
  const left = await kubectl(env.cluster, ['get', 'configmaps', '-n', CS, '-o', 'name']);
  expect(left).not.toContain('kubesphere-router-legacy-nginx');
  const legacyServices = await kubectl(env.cluster, ['get', 'svc', '-n', CS, '-l', 'app=kubesphere,component=ks-router', '-o', 'name']);
  expect(legacyServices.trim()).toBe('');
});

test('Update from the Project Gateways table replaces the legacy row', async ({ page }) => {
  const env = await launch({ scenario: 'legacy' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('legacy-row')).toHaveCount(1);
  await page.getByTestId('legacy-row').getByTestId('legacy-update').click();
  await page.getByTestId('legacy-update-ok').click();
  await expect(page.getByTestId('legacy-row')).toHaveCount(0);
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(1);
  await expect(page.getByTestId('row-project')).toHaveText(['legacy']);
});

test('legacy Update: a create that fails after the legacy objects are gone is retried with the same settings', async ({ page }) => {
  const env = await launch({ scenario: 'legacy', faults: `fail=POST /apis/gateway.kubesphere.io/v1alpha1/namespaces/${CS}/gateways?fieldManager:1` });
  await page.goto(env.url + '/projects/legacy/gateways');
  await page.getByTestId('legacy-update').click();
  const dialog = page.getByTestId('legacy-update-dialog');
  await dialog.getByTestId('legacy-update-ok').click();
  await expect(dialog.getByTestId('form-error')).toContainText('injected fault');
  // the legacy objects are already removed: only the Gateway is missing now
  const legacyServices = await kubectl(env.cluster, ['get', 'svc', '-n', CS, '-l', 'app=kubesphere,component=ks-router', '-o', 'name']);
  expect(legacyServices.trim()).toBe('');
  await dialog.getByTestId('legacy-update-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-legacy');
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, 'kubesphere-router-legacy', '-o', 'json']));
  // the nginx options read before the ConfigMap was removed are still there
  expect(gw.spec.controller.config).toEqual({ 'use-gzip': 'true' });
});
