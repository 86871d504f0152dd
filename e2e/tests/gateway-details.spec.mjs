// Manage → View Details: the gateway's own page, live, with its options and metadata.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';

test('View Details from the card; live options; disabling ends on "not found"', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-view-details').click();
  await expect(page).toHaveURL(new RegExp(`/gateways/${CS}/${CLUSTER_GW}$`));
  await expect(page.getByTestId('gateway-name')).toHaveText(CLUSTER_GW);
  await expect(page.getByTestId('gateway-address')).toHaveText('192.168.0.2');
  await expect(page.getByTestId('details-config')).toContainText('worker-processes');
  await expect(page.getByTestId('details-annotations')).toContainText('kubesphere.io/creator');
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p', '{"spec":{"controller":{"config":{"use-gzip":"true"}}}}']);
  await expect(page.getByTestId('details-config')).toContainText('use-gzip');
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-disable').click();
  await page.getByTestId('disable-confirm-input').fill(CLUSTER_GW);
  await page.getByTestId('disable-ok').click();
  await expect(page.getByTestId('empty-state')).toContainText(`Gateway ${CLUSTER_GW} not found`, { timeout: 20_000 });
  await page.getByTestId('back-link').click();
  await expect(page.getByTestId('enable-gateway')).toBeVisible();
});

test('the project page links the read-only cluster gateway to its details; unknown gateways are explained', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/projects/demo/gateways');
  await page.getByTestId('view-details').click();
  await expect(page).toHaveURL(new RegExp(`/gateways/${CS}/${CLUSTER_GW}$`));
  await expect(page.getByTestId('gateway-health')).toHaveText('Running');
  await page.goto(env.url + `/gateways/${CS}/kubesphere-router-nope`);
  await expect(page.getByTestId('empty-state')).toContainText('Gateway kubesphere-router-nope not found');
});

test('hostile values on the details page and in the conflict panel stay text', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const env = await launch({ scenario: 'hostile' });
  await page.goto(env.url + `/gateways/${CS}/${CLUSTER_GW}`);
  const config = page.getByTestId('details-config');
  await expect(config).toContainText('http-snippet');
  await expect(config).toContainText("<img src=x onerror=alert(1)><script>alert('xss')</script>");
  await expect(page.getByTestId('details-service-annotations')).toContainText('example.com/html');
  await expect(page.getByTestId('details-annotations')).toContainText('<b>admin</b>');
  const injected = 'main img, main script, main b, main i, main svg[onload]';
  await expect(page.locator(injected)).toHaveCount(0);

  // someone else writes a hostile value while the user edits: the conflict panel shows it as text
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('replicas').fill('2');
  const evil = '<img src=y onerror=alert(2)>"; drop';
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p',
    JSON.stringify({ spec: { controller: { config: { 'x-team-note': evil } } } })]);
  await expect(config).toContainText(evil, { timeout: 15_000 });
  await dialog.getByTestId('dialog-ok').click();
  const theirs = dialog.getByTestId('conflict-theirs');
  await expect(theirs).toContainText('x-team-note');
  await expect(theirs).toContainText(evil);
  await expect(page.locator('[data-testid=gateway-dialog] img, [data-testid=gateway-dialog] script')).toHaveCount(0);
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, CLUSTER_GW, '-o', 'json']));
  expect(gw.spec.controller.config['x-team-note']).toBe(evil);
  expect(gw.spec.deployment.replicas).toBe(2);
  expect(dialogs).toEqual([]);
});
