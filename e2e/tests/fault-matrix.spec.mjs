// The main flows under injected faults, as a user would live through them: slow answers,
// random 500/503/429, watches dropped every 10 s; or a server answering 30 % of writes with
// 409 Conflict. Whatever the app shows, a user retries; the end state of the cluster must be
// what the user did, shown without a reload, with no duplicate rows and no lost input.
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';

const MATRIX = [
  { name: 'latency 300 ms, 5 % errors, watch drops every 10 s', faults: 'latency=300ms,errors=0.05,watch-drop=10s' },
  { name: '30 % conflicts on writes', faults: 'conflicts=0.3' },
];

/** kubectl, retried: the injected errors hit kubectl too (they happen before any change). */
async function kubectlRetried(cluster, args) {
  let last;
  for (let i = 0; i < 8; i++) {
    try {
      return await kubectl(cluster, args);
    } catch (e) {
      last = e;
      if (!/InternalError|ServiceUnavailable|TooManyRequests|too many requests|internal error|unavailable|Conflict/i.test(e.message)) throw e;
    }
  }
  throw last;
}

/** Waits until `locator` is visible; meanwhile presses Retry on the API error view, as a user would. */
async function until(page, locator, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await locator.first().isVisible()) return;
    const retry = page.getByTestId('api-error').getByTestId('retry');
    if (await retry.isVisible()) await retry.click().catch(() => {});
    await page.waitForTimeout(200);
  }
  await expect(locator.first()).toBeVisible();
}

/** Presses OK until the dialog closes; an error or a conflict in between is read and retried. */
async function submitUntilClosed(page, dialog, ok, shown) {
  for (let i = 0; i < 12; i++) {
    if (await dialog.count() === 0) return;
    const button = dialog.getByTestId(ok);
    await expect(button).toBeEnabled({ timeout: 20_000 });
    await button.click();
    // closed, or something to read (an error, the conflict panel), or still busy
    await Promise.race([
      expect(dialog).toHaveCount(0, { timeout: 15_000 }),
      expect(dialog.locator(shown).first()).toBeVisible({ timeout: 15_000 }),
    ]).catch(() => {});
  }
  await expect(dialog).toHaveCount(0);
}

for (const m of MATRIX) {
  test(`fault matrix — ${m.name}: enable, edit, disable, table live updates`, async ({ page }) => {
    test.setTimeout(180_000);
    const env = await launch({ scenario: 'empty', faults: m.faults });
    await page.goto(env.url + '/clusters/gateways');

    // enable the cluster gateway with 2 replicas and an option
    await until(page, page.getByTestId('enable-gateway'));
    await expect(page.getByTestId('enable-gateway')).toBeEnabled({ timeout: 20_000 });
    await page.getByTestId('enable-gateway').click();
    let dialog = page.getByTestId('gateway-dialog');
    await dialog.getByTestId('replicas').fill('2');
    await dialog.getByTestId('config-add').click();
    await dialog.getByTestId('config-key').last().fill('use-gzip');
    await dialog.getByTestId('config-value').last().fill('true');
    await submitUntilClosed(page, dialog, 'dialog-ok', '[data-testid=form-error], [data-testid=conflict-panel]');
    await until(page, page.getByTestId('gateway-card'));
    await expect(page.getByTestId('gateway-replicas')).toHaveText('2/2 ready', { timeout: 60_000 });

    // edit: 3 replicas, one more option; input survives every failed attempt
    await page.getByTestId('manage-button').click();
    await page.getByTestId('manage-edit').click();
    dialog = page.getByTestId('gateway-dialog');
    await dialog.getByTestId('replicas').fill('3');
    await dialog.getByTestId('config-add').click();
    await dialog.getByTestId('config-key').last().fill('proxy-read-timeout');
    await dialog.getByTestId('config-value').last().fill('30');
    await submitUntilClosed(page, dialog, 'dialog-ok', '[data-testid=form-error], [data-testid=conflict-panel]');
    await expect(page.getByTestId('gateway-replicas')).toHaveText('3/3 ready', { timeout: 60_000 });
    const edited = JSON.parse(await kubectlRetried(env.cluster, ['get', 'gateway', '-n', CS, CLUSTER_GW, '-o', 'json']));
    expect(edited.spec.deployment.replicas).toBe(3);
    expect(edited.spec.controller.config).toEqual({ 'use-gzip': 'true', 'proxy-read-timeout': '30' });

    // disable it
    await page.getByTestId('manage-button').click();
    await page.getByTestId('manage-disable').click();
    dialog = page.getByTestId('disable-dialog');
    await dialog.getByTestId('disable-confirm-input').fill(CLUSTER_GW);
    await submitUntilClosed(page, dialog, 'disable-ok', '[data-testid=disable-failures]');
    await until(page, page.getByTestId('empty-state'));
    const left = await kubectlRetried(env.cluster, ['get', 'gateways', '-n', CS, '-o', 'name']);
    expect(left.trim()).toBe('');

    // the table follows kubectl: three created, one scaled, one deleted — no duplicates
    await page.getByTestId('tab-project').click();
    await until(page, page.getByTestId('project-gateway-table'));
    const rows = page.getByTestId('project-gateway-row');
    const names = page.getByTestId('row-name');
    for (const p of ['alpha', 'beta', 'gamma']) {
      const manifest = JSON.stringify({
        apiVersion: 'gateway.kubesphere.io/v1alpha1', kind: 'Gateway',
        metadata: { name: `kubesphere-router-${p}`, namespace: CS },
        spec: { controller: { scope: { enabled: true, namespace: p } }, deployment: { replicas: 1 }, service: { type: 'NodePort' } },
      });
      await createFromJson(env.cluster, manifest);
    }
    await expect(rows).toHaveCount(3, { timeout: 60_000 });
    await kubectlRetried(env.cluster, ['patch', 'gateway', '-n', CS, 'kubesphere-router-beta', '--type=merge', '-p', '{"spec":{"deployment":{"replicas":2}}}']);
    await expect(rows.filter({ hasText: 'kubesphere-router-beta' }).getByTestId('row-replicas')).toHaveText('2/2', { timeout: 60_000 });
    await kubectlRetried(env.cluster, ['delete', 'gateway', '-n', CS, 'kubesphere-router-alpha', '--wait=false']);
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await page.getByTestId('sort-NAME').click();
    await expect(names).toHaveText(['kubesphere-router-beta', 'kubesphere-router-gamma']);
    await expect(page.getByTestId('table-total')).toHaveText('Total: 2');
  });
}

/** `kubectl create -f` of a JSON manifest (through a temporary file), retried. */
async function createFromJson(cluster, manifest) {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gw-')), 'gateway.json');
  fs.writeFileSync(file, manifest);
  try {
    await kubectlRetried(cluster, ['create', '-f', file]);
  } catch (e) {
    // an injected failure may hide a create that worked on a retry of kubectl itself
    if (!/AlreadyExists|already exists/.test(e.message)) throw e;
  }
}
