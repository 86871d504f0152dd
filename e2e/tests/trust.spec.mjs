// Trust: a dialog closed while its request is in flight never takes the app down, its outcome
// is still told; the legacy Update retry keeps the nginx options; the page is built once.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';

/** Holds requests matching `method` + `url` until release() is called. */
async function holdRequests(page, method, url) {
  let release;
  const released = new Promise((r) => { release = r; });
  const held = [];
  await page.route(url, async (route) => {
    if (route.request().method() !== method) return route.continue();
    held.push(route.request().url());
    await released;
    await route.continue();
  });
  return { held, release: () => release() };
}

function watchForCrashes(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && /panicked|unreachable/.test(m.text())) errors.push(m.text()); });
  return errors;
}

test('Esc during a save that the server refuses: no crash, the refusal is told, the app goes on', async ({ page }) => {
  // the admission policy allows at most 5 replicas: the save below gets a 422
  const env = await launch({ scenario: 'nodeport', faults: 'max-gateway-replicas=5' });
  const errors = watchForCrashes(page);
  await page.goto(env.url + '/clusters/gateways');
  const hold = await holdRequests(page, 'PATCH', /\/gateways\//);
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('replicas').fill('8');
  await dialog.getByTestId('dialog-ok').click();
  await expect.poll(() => hold.held.length).toBe(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  hold.release();
  // the answer arrives after the dialog is gone: told by a toast, with the server's message
  const toast = page.getByTestId('toast-error');
  await expect(toast).toContainText(CLUSTER_GW);
  await expect(toast).toContainText("ValidatingAdmissionPolicy 'gateway-replicas' denied request");
  // the app is alive: the card is live and the dialog opens again
  await expect(page.getByTestId('app-crashed')).toHaveCount(0);
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('replicas')).toHaveValue('2');
  await dialog.getByTestId('dialog-cancel').click();
  await kubectl(env.cluster, ['-n', CS, 'patch', 'gateway', CLUSTER_GW, '--type=merge', '-p', '{"spec":{"deployment":{"replicas":3}}}']);
  await expect(page.getByTestId('gateway-replicas')).toContainText('3');
  expect(errors).toEqual([]);
});

test('Cancel during a save that succeeds: the save is not lost and is told', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const errors = watchForCrashes(page);
  await page.goto(env.url + '/clusters/gateways');
  const hold = await holdRequests(page, 'PATCH', /\/gateways\//);
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-edit').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('replicas').fill('4');
  await dialog.getByTestId('dialog-ok').click();
  await expect.poll(() => hold.held.length).toBe(1);
  await dialog.getByTestId('dialog-cancel').click();
  await expect(dialog).toHaveCount(0);
  hold.release();
  await expect(page.locator('.thaw-toast')).toContainText('Updated');
  await expect(page.getByTestId('gateway-replicas')).toContainText('4');
  const gw = JSON.parse(await kubectl(env.cluster, ['-n', CS, 'get', 'gateway', CLUSTER_GW, '-o', 'json']));
  expect(gw.spec.deployment.replicas).toBe(4);
  expect(errors).toEqual([]);
});

test('Disable closed while the DELETE is in flight: no crash, the gateway is disabled and it is told', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const errors = watchForCrashes(page);
  await page.goto(env.url + '/clusters/gateways');
  const hold = await holdRequests(page, 'DELETE', /\/gateways\//);
  await page.getByTestId('manage-button').click();
  await page.getByTestId('manage-disable').click();
  const dialog = page.getByTestId('disable-dialog');
  await dialog.getByTestId('disable-confirm-input').fill(CLUSTER_GW);
  await dialog.getByTestId('disable-ok').click();
  await expect.poll(() => hold.held.length).toBe(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  hold.release();
  await expect(page.locator('.thaw-toast')).toBeVisible();
  await expect(page.getByTestId('empty-state')).toBeVisible({ timeout: 20_000 });
  expect(errors).toEqual([]);
});

test('the cluster gateway page starts its requests once (no second build of the tab)', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const lists = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/k8s/') && u.pathname.endsWith('/gateways') && !u.searchParams.has('watch')) lists.push(u.pathname + u.search);
  });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await expect(page.getByTestId('sync-state')).toContainText('Live');
  expect(lists).toHaveLength(1);
});

test('429 Too Many Requests: the list waits as the server asks (Retry-After) and then succeeds', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', faults: 'throttle=/gateways?:2' });
  const answers = [];
  page.on('response', (r) => {
    const url = r.url();
    if (url.includes('/gateways?') && !url.includes('watch=')) answers.push({ status: r.status(), at: Date.now() });
  });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-name')).toHaveText(CLUSTER_GW, { timeout: 15_000 });
  await expect(page.getByTestId('inline-error')).toHaveCount(0);
  expect(answers.map((a) => a.status)).toEqual([429, 429, 200]);
  // Retry-After: 1 each time — the app did not hammer the server
  expect(answers[1].at - answers[0].at).toBeGreaterThanOrEqual(900);
  expect(answers[2].at - answers[1].at).toBeGreaterThanOrEqual(900);
});

test('429 more often than the app retries: the server message is shown, not a spinner', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', faults: 'throttle=/gateways?:20' });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('inline-error')).toContainText('too many requests', { timeout: 20_000 });
});

test('the creator lookup failing is an error, not a gateway without its creator; the retry has it', async ({ page }) => {
  const env = await launch({ scenario: 'empty', faults: 'fail=POST /apis/authentication.k8s.io/v1/selfsubjectreviews:1' });
  await page.goto(env.url + '/clusters/gateways');
  await page.getByTestId('enable-gateway').click();
  const dialog = page.getByTestId('gateway-dialog');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog.getByTestId('form-error')).toContainText('injected fault');
  expect((await kubectl(env.cluster, ['get', 'gateways', '-n', CS, '-o', 'name'])).trim()).toBe('');
  await dialog.getByTestId('dialog-ok').click();
  await expect(dialog).toHaveCount(0);
  const gw = JSON.parse(await kubectl(env.cluster, ['get', 'gateway', '-n', CS, CLUSTER_GW, '-o', 'json']));
  expect(gw.metadata.annotations['kubesphere.io/creator']).toBe('admin');
});

test('permission reviews still in flight are cancelled when their page goes away', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  // the reviews get no answer until the page is left
  await page.route('**/selfsubjectaccessreviews', () => {});
  const reviews = [];
  const cancelled = [];
  page.on('request', (r) => { if (r.url().includes('selfsubjectaccessreviews')) reviews.push(r); });
  page.on('requestfailed', (r) => { if (r.url().includes('selfsubjectaccessreviews')) cancelled.push(r.failure()?.errorText); });
  await page.goto(env.url + '/clusters/gateways');
  await expect(page.getByTestId('gateway-card')).toBeVisible();
  await expect.poll(() => reviews.length).toBe(3);
  await page.getByTestId('project-picker').selectOption('demo');
  await expect(page).toHaveURL(/\/projects\/demo\/gateways$/);
  await expect.poll(() => cancelled.length).toBeGreaterThanOrEqual(3);
  expect(cancelled.slice(0, 3).every((e) => /abort/i.test(e ?? ''))).toBe(true);
});
