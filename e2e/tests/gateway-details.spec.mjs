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
