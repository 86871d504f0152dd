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

test('a dropped watch resumes: changes still arrive, once', async ({ page }) => {
  const env = await launch({ scenario: 'projects', faults: 'watch-drop=2s' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(3);
  await page.waitForTimeout(4500);
  await kubectl(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-blog', '--wait=false']);
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(2, { timeout: 15_000 });
  await page.waitForTimeout(2500);
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(2);
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
