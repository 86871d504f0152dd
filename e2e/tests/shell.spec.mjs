// The app shell against devcluster: boot, navigation, deep links, unreachable API, i18n, theme.
import { test, expect } from '../fixtures.mjs';
import { launch, startApp, startCluster, freePort, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

test('boots at / and lands on the cluster gateway page', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/');
  await expect(page).toHaveURL(/\/clusters\/gateways/);
  await expect(page.getByTestId('page-title')).toHaveText('Gateway Settings');
  await expect(page.getByTestId('page-description')).toContainText('in the cluster.');
  const card = page.getByTestId('gateway-card');
  await expect(card).toBeVisible();
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-kubesphere-system');
  await expect(page.getByTestId('gateway-access-mode')).toContainText('NodePort');
  await expect(page.getByTestId('gateway-replicas')).toContainText('2');
  // config.json was found next to index.html even though the page is a deep link
  await expect(page.getByTestId('config-warning')).toHaveCount(0);
});

test('no cluster gateway: the empty state is shown', async ({ page }) => {
  const env = await launch({ scenario: 'empty' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByTestId('gateway-card')).toHaveCount(0);
});

test('navigation: project picker lists namespaces and opens the project page', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + '/clusters/gateways');
  const picker = page.getByTestId('project-picker');
  await expect(picker.locator('option', { hasText: 'shop' })).toHaveCount(1);
  await picker.selectOption('shop');
  await expect(page).toHaveURL(/\/projects\/shop\/gateways$/);
  // the project page, not the cluster page under another URL
  await expect(page.getByTestId('page-description')).toContainText('in the project.');
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-shop');
  await page.getByTestId('nav-cluster-gateway').click();
  await expect(page).toHaveURL(/\/clusters\/gateways/);
  await expect(page.getByTestId('page-description')).toContainText('in the cluster.');
  await page.getByTestId('nav-project-gateway').click();
  await expect(page).toHaveURL(/\/projects\/shop\/gateways$/);
});

test('deep links: the project gateways tab and a project page load directly', async ({ page }) => {
  const env = await launch({ scenario: 'projects' });
  await page.goto(env.url + '/clusters/gateways?tab=project');
  await expect(page.getByTestId('project-gateway-table')).toBeVisible();
  await expect(page.getByTestId('project-gateway-row')).toHaveCount(3);
  await page.getByTestId('tab-cluster').click();
  await expect(page).toHaveURL(/tab=cluster|\/clusters\/gateways$/);
  await page.goto(env.url + '/projects/demo/gateways');
  await expect(page.getByTestId('page-description')).toContainText('in the project.');
  await expect(page.getByTestId('gateway-name')).toHaveText('kubesphere-router-demo');
  await expect(page.getByTestId('config-warning')).toHaveCount(0);
  await expect(page.getByTestId('project-picker')).toHaveValue('demo');
  await page.goto(env.url + '/no/such/page');
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('unreachable API: the error names the URL it tried, and retry recovers', async ({ page }) => {
  const port = await freePort();
  const app = await startApp(`http://127.0.0.1:${port}`);
  await page.goto(app.url + '/clusters/gateways');
  await expect(page.getByTestId('api-error')).toBeVisible();
  await expect(page.getByTestId('api-error-url')).toContainText('/k8s/api');
  await expect(page.getByTestId('page-title')).toHaveCount(0);
  await startCluster({ scenario: 'nodeport', port });
  await page.getByTestId('retry').click();
  await expect(page.getByTestId('page-title')).toHaveText('Gateway Settings');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
});

test('language switch changes visible text and persists across reloads', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('page-title')).toHaveText('Gateway Settings');
  await page.getByTestId('lang-switch').selectOption('zh');
  await expect(page.getByTestId('page-title')).toHaveText('网关设置');
  await expect(page.locator('html')).toHaveAttribute('lang', /zh/);
  await page.reload();
  await expect(page.getByTestId('page-title')).toHaveText('网关设置');
  await page.getByTestId('lang-switch').selectOption('en');
  await expect(page.getByTestId('page-title')).toHaveText('Gateway Settings');
});

test('theme switch sets and persists the dark theme', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('theme-switch').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme-switch').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
