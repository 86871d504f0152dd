// Enable / Edit / Disable on the cluster gateway: validation next to the field, what is sent,
// conflict resolution, permissions and failures that keep the user's input.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';

async function gatewayJson(env, name = CLUSTER_GW, ns = CS) {
  return JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', ns, name, '-o', 'json']));
}

test('enable (NodePort): config values are checked by type, unknown keys only warn, no worker-processes injected', async ({ page }) => {
  const env = await launch({ scenario: 'empty' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('access-mode-NodePort')).toBeChecked();
  await expect(dialog.getByTestId('annotation-editor')).toHaveCount(0);

  // a known option with a value of the wrong type blocks OK, with the reason next to the row
  await dialog.getByTestId('config-add').click();
  await expect(dialog.getByTestId('config-add')).toBeDisabled(); // an empty row exists
  await dialog.getByTestId('config-key').nth(0).fill('proxy-body-size');
  // the type is named through the catalogue, not by its Rust name
  await expect(dialog.getByTestId('config-hint')).toContainText('a size such as 8k or 1m');
  await dialog.getByTestId('config-value').nth(0).fill('big');
  await expect(dialog.getByTestId('field-message')).toContainText('“big” is not a valid value for proxy-body-size');
  await expect(dialog.getByTestId('dialog-ok')).toBeDisabled();
  await dialog.getByTestId('config-value').nth(0).fill('8m');
  await expect(dialog.getByTestId('field-message')).toHaveCount(0);

  // an unknown key is a warning; a duplicate key is an error
  await dialog.getByTestId('config-add').click();
  await dialog.getByTestId('config-key').nth(1).fill('my-custom-key');
  await dialog.getByTestId('config-value').nth(1).fill('x');
  await expect(dialog.getByTestId('field-message')).toContainText('not a known ingress-nginx option');
  await expect(dialog.getByTestId('dialog-ok')).toBeEnabled();
  await dialog.getByTestId('config-key').nth(1).fill('proxy-body-size');
  await expect(dialog.getByTestId('field-message').filter({ hasText: 'The key already exists' })).toHaveCount(1);
  await expect(dialog.getByTestId('dialog-ok')).toBeDisabled();
  await dialog.getByTestId('config-remove').nth(1).click();

  await dialog.getByTestId('replicas').fill('2');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await expect(page.getByTestId('gateway-access-mode')).toHaveText('NodePort');

  const gw = await gatewayJson(env);
  expect(gw.spec.service.type).toBe('NodePort');
  expect(gw.spec.controller.config).toEqual({ 'proxy-body-size': '8m' });
  expect(gw.spec.deployment.replicas).toBe(2);
  expect(gw.spec.controller.scope).toEqual({ enabled: false, namespace: '' });
  expect(gw.metadata.annotations['kubesphere.io/creator']).toBe('admin');
  expect(gw.metadata.annotations['kubesphere.io/annotations']).toBe('');
});

test('enable (LoadBalancer): provider pre-fills and suggests annotation keys; invalid keys are explained', async ({ page }) => {
  const env = await launch({ scenario: 'empty' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('access-mode-LoadBalancer').check();
  // QingCloud is pre-selected with its two default annotations (KubeSphere's behaviour)
  await expect(dialog.getByTestId('provider')).toHaveValue('QingCloud Kubernetes Engine');
  await expect(dialog.getByTestId('annotation-key')).toHaveCount(2);
  // another provider clears them and offers its keys
  await dialog.getByTestId('provider').selectOption('Amazon EKS');
  await expect(dialog.getByTestId('annotation-key')).toHaveCount(0);
  await expect(dialog.locator('#annotation-keys option[value="service.beta.kubernetes.io/aws-load-balancer-type"]')).toHaveCount(1);
  await dialog.getByTestId('annotation-add').click();
  await dialog.getByTestId('annotation-key').fill('bad key');
  await dialog.getByTestId('annotation-value').fill('nlb');
  await expect(dialog.getByTestId('field-message')).toContainText('The name part of “bad key”');
  await expect(dialog.getByTestId('annotation-key')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByTestId('dialog-ok')).toBeDisabled();
  await dialog.getByTestId('annotation-key').fill('Example.com/type');
  await expect(dialog.getByTestId('field-message')).toContainText('lowercase DNS subdomain');
  await dialog.getByTestId('annotation-key').fill('service.beta.kubernetes.io/aws-load-balancer-type');
  await expect(dialog.getByTestId('field-message')).toHaveCount(0);
  await dialog.getByTestId('tracing').check();
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-provider')).toHaveText('Amazon EKS');

  const gw = await gatewayJson(env);
  expect(gw.spec.service.type).toBe('LoadBalancer');
  expect(gw.spec.service.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
  expect(gw.metadata.annotations['kubesphere.io/annotations']).toBe('Amazon EKS');
  expect(gw.spec.deployment.annotations['servicemesh.kubesphere.io/enabled']).toBe('true');
});

test('edit sends only what changed; the card follows', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const before = await gatewayJson(env);
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await expect(dialog).toContainText('Edit Gateway kubesphere-router-kubesphere-system');
  await expect(dialog.getByTestId('replicas')).toHaveValue('2');
  await dialog.getByTestId('replicas').fill('3');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-replicas')).toHaveText('3/3 ready', { timeout: 15_000 });
  const after = await gatewayJson(env);
  expect(after.spec.deployment.replicas).toBe(3);
  // nothing else in the spec changed (no worker-processes injected, KubeSphere bug §15)
  expect({ ...after.spec, deployment: { ...after.spec.deployment, replicas: 2 } }).toEqual(before.spec);
  expect(after.metadata.annotations).toEqual(before.metadata.annotations);
  // the write is recorded under our field manager, with the field it changed
  const managed = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, CLUSTER_GW, '-o', 'json', '--show-managed-fields'])).metadata.managedFields;
  const ours = managed.find((f) => f.manager === 'gateway-console');
  expect(ours.operation).toBe('Update');
  expect(ours.fieldsV1['f:spec']['f:deployment']).toEqual({ 'f:replicas': {} });
});

test('conflict: their change is shown and the user re-applies their edits on the latest version', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('replicas').fill('3');
  await dialog.getByTestId('config-add').click();
  await dialog.getByTestId('config-key').last().fill('use-gzip');
  await dialog.getByTestId('config-value').last().fill('true');
  // meanwhile, someone else changes the gateway with kubectl
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p',
    '{"spec":{"deployment":{"replicas":4},"controller":{"config":{"proxy-read-timeout":"30"}}}}']);
  // the dialog survives the live update of the card behind it
  await expect(page.getByTestId('gateway-replicas')).toContainText('/4', { timeout: 15_000 });
  await expect(dialog.getByTestId('replicas')).toHaveValue('3');
  await dialog.getByTestId('dialog-ok').click();

  const panel = dialog.getByTestId('conflict-panel');
  await expect(panel).toBeVisible();
  await expect(dialog.getByTestId('conflict-theirs')).toContainText('spec.deployment.replicas');
  await expect(dialog.getByTestId('conflict-theirs')).toContainText('proxy-read-timeout');
  await expect(dialog.getByTestId('conflict-overlaps')).toContainText('Replicas');
  // the form now shows the latest version with the user's edits on top
  await expect(dialog.getByTestId('replicas')).toHaveValue('3');
  await expect(dialog.getByTestId('config-key')).toHaveCount(3);
  await expect(dialog.getByTestId('dialog-ok')).toHaveText('Apply my changes to the latest version');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);

  const gw = await gatewayJson(env);
  expect(gw.spec.deployment.replicas).toBe(3);
  expect(gw.spec.controller.config).toEqual({ 'worker-processes': '4', 'proxy-read-timeout': '30', 'use-gzip': 'true' });
});

test('disable: the name must be typed; the card shows Disabling, then the empty state', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', pace: '1' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-disable').click();
  const dialog = page.getByTestId('disable-dialog');
  await expect(dialog.getByTestId('disable-names')).toHaveText(CLUSTER_GW);
  await expect(dialog.getByTestId('disable-ok')).toBeDisabled();
  await dialog.getByTestId('disable-confirm-input').fill('kubesphere-router');
  await expect(dialog.getByTestId('disable-ok')).toBeDisabled();
  await dialog.getByTestId('disable-confirm-input').fill(CLUSTER_GW);
  await dialog.getByTestId('disable-ok').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('gateway-health')).toHaveText('Disabling');
  await page.getByTestId('manage-button').click();
  await expect(page.getByTestId('manage-edit')).toBeDisabled();
  await expect(page.getByTestId('manage-menu')).toContainText('The gateway is being disabled.');
  await expect(page.getByTestId('empty-state')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('enable-gateway')).toBeEnabled();
});

test('a viewer sees why Edit, Disable and Enable are unavailable', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', as: 'viewer' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await expect(page.getByTestId('manage-edit')).toBeDisabled();
  await expect(page.getByTestId('manage-edit')).toContainText('You lack permission to patch gateways.gateway.kubesphere.io in namespace kubesphere-controls-system');
  await expect(page.getByTestId('manage-disable')).toBeDisabled();
  await expect(page.getByTestId('manage-disable')).toContainText('delete');
  // keyboard: Escape closes the menu
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('manage-menu')).toHaveCount(0);

  const empty = await launch({ scenario: 'empty', as: 'viewer' });
  await page.goto(empty.url + '/clusters/gateways');
  await expect(page.getByTestId('enable-gateway')).toBeDisabled();
  await expect(page.getByTestId('enable-reason')).toContainText('create');
});

test('a 403 anyway is explained and the input is kept; so is a network failure', async ({ page }) => {
  // a project admin may create gateways in the working namespace, but not the cluster gateway:
  // the access review (no name for create) allows it, the server refuses it
  const env = await launch({ scenario: 'empty', as: 'project-admin:demo' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('config-add').click();
  await dialog.getByTestId('config-key').fill('use-gzip');
  await dialog.getByTestId('config-value').fill('true');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog.getByTestId('form-error')).toContainText('Forbidden');
  await expect(dialog.getByTestId('form-error')).toContainText('Ask a cluster administrator');
  await expect(dialog.getByTestId('config-key')).toHaveValue('use-gzip');
  await expect(dialog.getByTestId('config-value')).toHaveValue('true');

  // the API goes away: the error is shown, the input stays, and OK can be retried
  await env.cluster.stop();
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog.getByTestId('form-error')).toBeVisible();
  await expect(dialog.getByTestId('form-error')).not.toContainText('Forbidden');
  await expect(dialog.getByTestId('config-value')).toHaveValue('true');
  await expect(dialog.getByTestId('dialog-ok')).toBeEnabled();
});

test('hostile values are edited as text: nothing is interpreted, saving keeps them byte for byte', async ({ page }) => {
  const env = await launch({ scenario: 'hostile' });
  let alerts = 0;
  page.on('dialog', (d) => { alerts += 1; d.dismiss(); });
  const before = await gatewayJson(env);
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await expect(dialog.getByTestId('provider')).toHaveValue('<i>Provider</i>');
  await expect(dialog.getByTestId('annotation-value').first()).toHaveValue(/<img src=x onerror=alert\(1\)><script>/);
  await expect(dialog.locator('img, script, svg, b, i')).toHaveCount(0);
  // a 5,000-character value does not push the dialog off screen
  const box = await page.locator('.gateway-dialog').boundingBox();
  expect(box.width).toBeLessThanOrEqual(page.viewportSize().width);
  await dialog.getByTestId('replicas').fill('2');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  const after = await gatewayJson(env);
  expect(after.spec.deployment.replicas).toBe(2);
  expect(after.spec.service.annotations).toEqual(before.spec.service.annotations);
  expect(after.spec.controller.config).toEqual(before.spec.controller.config);
  expect(after.metadata.annotations).toEqual(before.metadata.annotations);
  expect(alerts).toBe(0);
});

test('a 422 from the server lands on its field; the input stays and a fixed value saves', async ({ page }) => {
  // an admission policy in the cluster allows at most 5 replicas per gateway
  const env = await launch({ scenario: 'nodeport', faults: 'max-gateway-replicas=5' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('tracing').check();
  await dialog.getByTestId('replicas').fill('8');
  await dialog.getByTestId('dialog-ok').click();
  const replicasField = dialog.locator('.form-field').filter({ has: page.getByTestId('replicas') });
  await expect(replicasField.getByTestId('field-message')).toContainText("ValidatingAdmissionPolicy 'gateway-replicas' denied request");
  await expect(dialog.getByTestId('tracing')).toBeChecked();
  await expect(dialog.getByTestId('replicas')).toHaveValue('8');
  // editing the field clears the server's message; an allowed value saves
  await dialog.getByTestId('replicas').fill('4');
  await expect(replicasField.getByTestId('field-message')).toHaveCount(0);
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  const gw = await gatewayJson(env);
  expect(gw.spec.deployment.replicas).toBe(4);
  expect(gw.spec.deployment.annotations['servicemesh.kubesphere.io/enabled']).toBe('true');
});

test('the Manage menu works from the keyboard and closes when the page moves', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  const button = page.getByTestId('manage-button');
  await button.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByTestId('manage-menu');
  await expect(menu).toBeVisible();
  // the focus is on the first item; arrows move it, wrapping around
  await expect(page.getByTestId('manage-view-details')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('manage-edit')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('manage-disable')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('manage-view-details')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('manage-disable')).toBeFocused();
  // Escape closes and gives the focus back to the button
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();
  // Enter opens it; Enter on an item runs it
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('manage-view-details')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('gateway-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('gateway-dialog')).toHaveCount(0);
  // a resize closes an open menu (it would float away from its button)
  await button.click();
  await expect(menu).toBeVisible();
  await page.setViewportSize({ width: 1200, height: 800 });
  await expect(menu).toHaveCount(0);
});

test('in Chinese the option hints are Chinese, and the ingress-nginx summary is marked as English', async ({ page }) => {
  const env = await launch({ scenario: 'empty' });
  await page.addInitScript(() => localStorage.setItem('gateway-console.locale', 'zh'));
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('config-add').click();
  await dialog.getByTestId('config-key').last().fill('proxy-body-size');
  const hint = dialog.getByTestId('config-hint');
  await expect(hint).toContainText('大小');
  await expect(hint).toContainText('英文说明：');
  await expect(hint).not.toContainText('size ·');
});
