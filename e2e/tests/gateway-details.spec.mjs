// The gateway details page: tabs in the path, breadcrumb, header actions, Resource Status
// (scale with a countdown, live pods), Configuration Options (flags, drift), Events, Metadata
// (YAML that kubectl applies), hostile data, and the connection budget.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';
const DETAILS = `/gateways/${CS}/${CLUSTER_GW}`;
const TABS = ['monitors', 'resource-status', 'gateway-configs', 'logs', 'events', 'metadata'];

const gatewayJson = async (env, name = CLUSTER_GW) =>
  JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, name, '-o', 'json', '--show-managed-fields']));

/** Watches (`watch=true`) the page holds open right now. */
function openWatches(page) {
  const open = new Set();
  page.on('request', (r) => { if (new URL(r.url()).searchParams.get('watch') === 'true') open.add(r); });
  const done = (r) => open.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return () => [...open].map((r) => new URL(r.url()).pathname.split('/').slice(-1)[0]).sort();
}

test('View Details from the card lands on Monitoring (Prometheus missing: said once, with the URL); every tab deep-links and Back/Forward follow the tabs', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-view-details').click();
  await expect(page).toHaveURL(new RegExp(`${DETAILS}$`));
  await expect(page.getByTestId('gateway-name')).toHaveText(CLUSTER_GW);
  await expect(page.getByTestId('tab-monitors')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('monitoring-unavailable')).toContainText('/k8s/api/v1/namespaces/kubesphere-monitoring-system/services/prometheus-k8s:9090/proxy');
  await expect(page.getByTestId('gateway-scope')).toHaveText('Cluster');
  // the update time is the last write, not "now"
  const updateTime = async () => {
    const gw = await gatewayJson(env);
    const writes = (gw.metadata.managedFields || []).map((m) => m.time).filter(Boolean).sort();
    const last = writes.pop() ?? gw.status.conditions.map((c) => c.lastTransitionTime).sort().pop();
    return last.replace('T', ' ').replace('Z', ' UTC');
  };
  await expect(page.getByTestId('gateway-update-time')).toHaveText(await updateTime());
  // a write moves it to that write's time
  await new Promise((r) => setTimeout(r, 1100));
  await kubectl(env.cluster, ['annotate', 'gateway', '-n', CS, CLUSTER_GW, 'example.com/touched=yes']);
  await expect.poll(async () => (await page.getByTestId('gateway-update-time').textContent()) === (await updateTime())).toBe(true);

  await page.getByTestId('tab-gateway-configs').click();
  await expect(page).toHaveURL(new RegExp(`${DETAILS}/gateway-configs$`));
  await expect(page.getByTestId('details-config')).toContainText('worker-processes');
  await page.getByTestId('tab-metadata').click();
  await expect(page.getByTestId('yaml-view')).toContainText(`name: ${CLUSTER_GW}`);
  await page.goBack();
  await expect(page.getByTestId('details-config')).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('yaml-view')).toBeVisible();

  for (const tab of TABS) {
    await page.goto(env.url + `${DETAILS}/${tab}`);
    await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('details-tab-panel')).not.toContainText('No tab');
  }
  // the breadcrumb of the cluster gateway goes to the cluster page's Cluster Gateway tab
  await page.getByTestId('back-link').click();
  await expect(page).toHaveURL(/\/clusters\/gateways\?tab=cluster$/);
  await expect(page.getByTestId('gateway-card')).toBeVisible();
});

test('a project gateway: deep links to each tab, the breadcrumb goes to its project; unknown gateway and tab are explained', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  const name = 'kubesphere-router-shop';
  for (const tab of TABS) {
    await page.goto(env.url + `/gateways/${CS}/${name}/${tab}`);
    await expect(page.getByTestId('gateway-name')).toHaveText(name);
    await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByTestId('gateway-scope')).toHaveText('Project shop');
  await expect(page.getByTestId('back-link')).toHaveText('← Project Gateway (shop)');
  await page.getByTestId('back-link').click();
  await expect(page).toHaveURL(/\/projects\/shop\/gateways$/);

  await page.goto(env.url + `/gateways/${CS}/${name}/nope`);
  await expect(page.getByTestId('details-tab-panel').getByTestId('empty-state')).toContainText('No tab “nope”');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await page.goto(env.url + `/gateways/${CS}/kubesphere-router-nowhere/metadata`);
  await expect(page.getByTestId('empty-state')).toContainText('Gateway kubesphere-router-nowhere not found');
  await expect(page.getByTestId('back-link')).toHaveAttribute('href', /\/projects\/nowhere\/gateways$/);
});

test('scale up by the countdown and down by OK: pods come and go live, the Gateway (not the Deployment) is patched; Cancel changes nothing', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + `${DETAILS}/resource-status`);
  await expect(page.getByTestId('pod-row')).toHaveCount(2);
  await expect(page.getByTestId('replicas-desired')).toHaveText('2');

  // Cancel: nothing is written
  await page.getByTestId('replicas-plus').click();
  await expect(page.getByTestId('replicas-ok')).toHaveText(/OK \([45]s\)/);
  await page.getByTestId('replicas-cancel').click();
  await expect(page.getByTestId('replicas-confirm')).toHaveCount(0);
  await page.waitForTimeout(5_500);
  expect((await gatewayJson(env)).spec.deployment.replicas).toBe(2);

  // + + then wait: the countdown confirms by itself
  await page.getByTestId('replicas-plus').click();
  await page.getByTestId('replicas-plus').click();
  await expect(page.getByTestId('replicas-draft')).toHaveText('4');
  await expect(page.getByTestId('replicas-ok')).toHaveText('OK (5s)');
  await expect(page.getByTestId('replicas-ok')).toHaveText('OK (4s)', { timeout: 3_000 });
  await expect(page.getByTestId('replicas-confirm')).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByTestId('replicas-desired')).toHaveText('4');
  await expect(page.getByTestId('pod-row')).toHaveCount(4, { timeout: 15_000 });
  await expect(page.getByTestId('replicas-current')).toHaveText('4');
  const gw = await gatewayJson(env);
  expect(gw.spec.deployment.replicas).toBe(4);
  expect(gw.metadata.managedFields.some((m) => m.manager === 'gateway-console' && JSON.stringify(m.fieldsV1).includes('f:replicas'))).toBe(true);
  const deploy = JSON.parse(await kubectl(env.cluster, ['get', 'deploy', '-n', CS, CLUSTER_GW, '-o', 'json', '--show-managed-fields']));
  expect((deploy.metadata.managedFields || []).some((m) => m.manager === 'gateway-console')).toBe(false);

  // − then OK at once
  await page.getByTestId('replicas-minus').click();
  await page.getByTestId('replicas-ok').click();
  await expect(page.getByTestId('pod-row')).toHaveCount(3, { timeout: 15_000 });
  expect((await gatewayJson(env)).spec.deployment.replicas).toBe(3);

  // expanding a pod shows its containers
  await page.getByTestId('pod-expand').first().click();
  await expect(page.getByTestId('pod-containers').first()).toContainText('controller');
  await expect(page.getByTestId('pod-node').first()).toContainText(/node\d \(192\.168\.0\.\d+\)/);
  // search by node
  await page.getByTestId('pod-search').fill('no-such-node');
  await expect(page.getByTestId('pods-empty')).toHaveText('No pod matches the search.');
});

test('scaling to 0 warns and never confirms by itself', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + `/gateways/${CS}/kubesphere-router-demo/resource-status`);
  await expect(page.getByTestId('replicas-desired')).toHaveText('1');
  await page.getByTestId('replicas-minus').click();
  await expect(page.getByTestId('replicas-ok')).toHaveText('OK');
  await expect(page.getByTestId('replicas-confirm')).toContainText(/0/);
  await expect(page.getByTestId('replicas-confirm').getByTestId('field-message')).toBeVisible();
  await page.waitForTimeout(6_000);
  expect((await gatewayJson(env, 'kubesphere-router-demo')).spec.deployment.replicas).toBe(1);
  await page.getByTestId('replicas-ok').click();
  await expect(page.getByTestId('pod-row')).toHaveCount(0, { timeout: 15_000 });
});

test('a viewer cannot scale and is told why', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', as: 'viewer' });
  await page.goto(env.url + `${DETAILS}/resource-status`);
  await expect(page.getByTestId('replicas-denied')).toContainText('patch');
  await expect(page.getByTestId('replicas-plus')).toBeDisabled();
  await expect(page.getByTestId('replicas-minus')).toBeDisabled();
  await expect(page.getByTestId('details-edit')).toBeDisabled();
  await expect(page.getByTestId('details-disable')).toBeDisabled();
});

test('a refused scale (422 from an admission policy) shows the server message and keeps the chosen value', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', faults: 'max-gateway-replicas=2' });
  await page.goto(env.url + `${DETAILS}/resource-status`);
  await expect(page.getByTestId('replicas-desired')).toHaveText('2');
  await page.getByTestId('replicas-plus').click();
  await page.getByTestId('replicas-ok').click();
  await expect(page.getByTestId('replicas-error')).toContainText(/replicas|Invalid|2/i);
  await expect(page.getByTestId('replicas-draft')).toHaveText('3');
  await expect(page.getByTestId('replicas-ok')).toHaveText('OK');
  expect((await gatewayJson(env)).spec.deployment.replicas).toBe(2);
});

test('someone else scaling meanwhile is reported, not overwritten', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  // hold the page's view of the gateway: its watch never answers, so it does not see the change
  await page.route((url) => url.pathname.endsWith('/gateways') && url.searchParams.get('watch') === 'true', () => {});
  await page.goto(env.url + `${DETAILS}/resource-status`);
  await expect(page.getByTestId('replicas-desired')).toHaveText('2');
  await page.getByTestId('replicas-plus').click();
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p', '{"spec":{"deployment":{"replicas":5}}}']);
  await page.getByTestId('replicas-ok').click();
  await expect(page.getByTestId('replicas-error')).toContainText('changed the replicas to 5');
  expect((await gatewayJson(env)).spec.deployment.replicas).toBe(5);
});

test('drift: a kubectl edit of the rendered ConfigMap shows live beside the spec; Edit opens on the options', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + `${DETAILS}/gateway-configs`);
  await expect(page.getByTestId('drift-none')).toBeVisible();
  const row = (key) => page.locator(`[data-testid=config-row][data-key="${key}"]`);
  await expect(row('worker-processes').getByTestId('config-flag')).toHaveCount(0);
  await kubectl(env.cluster, ['patch', 'configmap', '-n', CS, CLUSTER_GW, '--type=merge',
    '-p', JSON.stringify({ data: { 'worker-processes': '8', 'hand-edited': 'yes' } })]);
  await expect(page.getByTestId('drift-summary')).toContainText('2 key(s)');
  await expect(row('worker-processes')).toHaveAttribute('data-drift', 'different');
  await expect(row('worker-processes').getByTestId('config-rendered-value')).toHaveText('8');
  await expect(row('hand-edited')).toHaveAttribute('data-drift', 'extra');
  // flags on the spec values; the operator re-renders the ConfigMap from the new spec: no drift left
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge',
    '-p', JSON.stringify({ spec: { controller: { config: { 'proxy-body-size': '1m', 'no-such-option': 'x', 'hand-edited': 'yes', 'worker-processes': '8' } } } })]);
  await expect(row('proxy-body-size').getByTestId('config-flag')).toHaveText('Same as default');
  await expect(row('no-such-option').getByTestId('config-flag')).toHaveText('Unknown option');
  await expect(page.getByTestId('drift-none')).toBeVisible({ timeout: 15_000 });
  // a value of the wrong type (the operator refuses it, so the ConfigMap keeps the old set)
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge',
    '-p', JSON.stringify({ spec: { controller: { config: { 'use-gzip': 'maybe' } } } })]);
  await expect(row('use-gzip').getByTestId('config-flag')).toHaveText('Not a valid true or false');
  await expect(row('use-gzip')).toHaveAttribute('data-drift', 'missing');

  await page.getByTestId('config-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('dialog-config-section').locator('input').first()).toBeFocused();
});

test('the YAML downloads without managedFields and kubectl applies it', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await kubectl(env.cluster, ['annotate', 'gateway', '-n', CS, CLUSTER_GW, 'example.com/note=kept']);
  await page.goto(env.url + `${DETAILS}/metadata`);
  const yaml = page.getByTestId('yaml-view');
  await expect(yaml).toContainText('managedFields:');
  await expect(page.getByTestId('yaml-folded')).toHaveCount(1);
  await expect(yaml).not.toContainText('manager:');
  await page.getByTestId('yaml-fold').nth(1).click(); // metadata.annotations folds
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('yaml-download').click()]);
  expect(download.suggestedFilename()).toBe(`${CLUSTER_GW}.yaml`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gc-yaml-')), 'gw.yaml');
  await download.saveAs(file);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(`name: ${CLUSTER_GW}`);
  expect(text).not.toContain('managedFields');
  // someone edits it and applies it back
  fs.writeFileSync(file, text.replace('worker-processes: "4"', 'worker-processes: "6"'));
  const out = await kubectl(env.cluster, ['apply', '-f', file]);
  expect(out).toMatch(/configured|unchanged/);
  expect((await gatewayJson(env)).spec.controller.config['worker-processes']).toBe('6');
  await expect(yaml).toContainText('worker-processes: "6"');
});

test('events appear live, newest first, warnings highlighted', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + `${DETAILS}/events`);
  await expect(page.getByTestId('event-row').first()).toBeVisible();
  await expect(page.getByTestId('events-table')).toContainText('Scheduled');
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p', '{"spec":{"deployment":{"replicas":3}}}']);
  await expect(page.getByTestId('events-table')).toContainText('Scaled up replica set', { timeout: 15_000 });
  // newest first
  const seen = await page.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.cells[6].textContent.slice(0, 16)));
  expect([...seen].sort().reverse()).toEqual(seen);
  // a config the operator refuses: a Warning on the Gateway
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p', '{"spec":{"controller":{"config":{"use-gzip":"maybe"}}}}']);
  await page.getByTestId('events-warnings-only').check();
  await expect(page.getByTestId('event-type').first()).toHaveText('Warning', { timeout: 15_000 });
  await expect(page.getByTestId('event-object').first()).toHaveText(`Gateway/${CLUSTER_GW}`);
});

test('hostile names, values and event messages stay text on every tab', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const env = await launch({ scenario: 'hostile' });
  const injected = 'main img, main script, main b, main i, main svg[onload]';
  await page.goto(env.url + `${DETAILS}/gateway-configs`);
  await expect(page.getByTestId('details-config')).toContainText("<img src=x onerror=alert(1)><script>alert('xss')</script>");
  await expect(page.locator(injected)).toHaveCount(0);
  await page.getByTestId('tab-metadata').click();
  await expect(page.getByTestId('details-service-annotations')).toContainText('example.com/html');
  await expect(page.getByTestId('details-annotations')).toContainText('<b>admin</b>');
  await expect(page.getByTestId('yaml-view')).toContainText('<b>admin</b>');
  await expect(page.locator(injected)).toHaveCount(0);
  await page.getByTestId('tab-events').click();
  await expect(page.getByTestId('event-row').first()).toBeVisible();
  await expect(page.locator(injected)).toHaveCount(0);
  await page.getByTestId('tab-resource-status').click();
  await expect(page.getByTestId('pod-row').first()).toBeVisible();
  await expect(page.locator(injected)).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('Disable from the header returns to where the gateway lived with a toast; a gateway deleted by someone else is reported', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + `/gateways/${CS}/kubesphere-router-shop/metadata`);
  await page.getByTestId('details-disable').click();
  await page.getByTestId('disable-confirm-input').fill('kubesphere-router-shop');
  await page.getByTestId('disable-ok').click();
  await expect(page).toHaveURL(/\/projects\/shop\/gateways$/);
  await expect(page.getByText('Disabled successfully.')).toBeVisible();

  await page.goto(env.url + `/gateways/${CS}/kubesphere-router-demo/resource-status`);
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-demo', '--wait=false']);
  await expect(page.getByTestId('empty-state')).toContainText('Gateway kubesphere-router-demo was deleted', { timeout: 20_000 });
  await page.getByTestId('gone-back').click();
  await expect(page).toHaveURL(/\/projects\/demo\/gateways$/);
});

test('each tab stays within the connection budget: the header\'s three watches and the tab\'s own', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const watches = openWatches(page);
  await page.goto(env.url + `${DETAILS}/resource-status`);
  await expect(page.getByTestId('pod-row')).toHaveCount(2);
  await expect.poll(watches).toEqual(['deployments', 'gateways', 'pods', 'services']);
  await page.getByTestId('tab-gateway-configs').click();
  await expect(page.getByTestId('drift-none')).toBeVisible();
  await expect.poll(watches).toEqual(['configmaps', 'deployments', 'gateways', 'services']);
  await page.getByTestId('tab-events').click();
  await expect(page.getByTestId('event-row').first()).toBeVisible();
  await expect.poll(watches).toEqual(['deployments', 'events', 'gateways', 'services']);
  await page.getByTestId('tab-metadata').click();
  await expect(page.getByTestId('yaml-view')).toBeVisible();
  await expect.poll(watches).toEqual(['deployments', 'gateways', 'services']);
});
