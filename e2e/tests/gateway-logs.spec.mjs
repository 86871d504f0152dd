// Details → Gateway Logs against devcluster's pod log subresource: merged multi-pod follow,
// filter / find / regex errors / invert / severity, the access table with click-to-filter,
// the download, the URL, the connection budget, previous containers, hostile lines.
import fs from 'node:fs';
import { test, expect } from '../fixtures.mjs';
import { launch, kubectl, stopAll } from '../harness.mjs';

test.afterEach(stopAll);

const CS = 'kubesphere-controls-system';
const CLUSTER_GW = 'kubesphere-router-kubesphere-system';
const LOGS = `/gateways/${CS}/${CLUSTER_GW}/logs`;
/** devcluster with a backdated history of 3,000 access lines per pod. */
const HISTORY = { scenario: 'nodeport', args: ['--log-lines', '3000'] };

const lines = (page) => page.getByTestId('log-line-text');
const summary = (page) => page.getByTestId('logs-summary');
/** [shown, total] from "N of M lines". */
async function counts(page) {
  const text = (await summary(page).textContent()) ?? '';
  const m = text.replace(/,/g, '').match(/(\d+) of (\d+) lines/);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}
const podNames = async (env) =>
  (await kubectl(env.cluster, ['get', 'pods', '-n', CS, '-o', 'name']))
    .trim().split('\n').map((n) => n.replace('pod/', '')).filter((n) => n.startsWith(`${CLUSTER_GW}-`));

test('both pods merged by time, followed as far as the connections allow; the pod column names each line; the URL restores the view', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  const pods = await podNames(env);
  expect(pods.length).toBe(2);
  // streams held open: the header's 3 watches, the pods watch, one followed log (5 of 6)
  const open = new Set();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.searchParams.get('watch') === 'true' || u.searchParams.get('follow') === 'true') open.add(r);
  });
  for (const ev of ['requestfinished', 'requestfailed']) page.on(ev, (r) => open.delete(r));
  const streams = () => [...open].map((r) => new URL(r.url()).pathname.split('/').slice(-1)[0]).sort();
  await page.goto(env.url + LOGS);
  await expect.poll(streams).toEqual(['deployments', 'gateways', 'log', 'pods', 'services']);
  await expect(page.getByTestId('tab-logs')).toHaveAttribute('aria-current', 'page');
  await expect(lines(page).first()).toBeVisible();
  // HTTP/1.1: 6 connections, 4 held by the page's watches, 1 kept for requests → 1 followed
  await expect(summary(page)).toContainText('following 1 of 2 pods');
  await expect(summary(page)).toContainText('not every pod is followed');
  // lines of both pods, each named
  const named = await page.getByTestId('log-line-pod').allTextContents();
  expect(new Set(named)).toEqual(new Set(pods));
  // live: the total grows while we watch (devcluster writes access lines every second)
  const [, before] = await counts(page);
  await expect.poll(async () => (await counts(page))[1], { timeout: 15000 }).toBeGreaterThan(before);
  // the view's state is in the URL and comes back on reload
  await page.getByTestId('logs-mode-find').click();
  await page.getByTestId('logs-query').fill('GET');
  await page.getByTestId('logs-timestamps').selectOption('utc');
  await expect(page).toHaveURL(/q=GET/);
  await expect(page).toHaveURL(/mode=find/);
  await expect(page).toHaveURL(/ts=utc/);
  await page.reload();
  await expect(page.getByTestId('logs-query')).toHaveValue('GET');
  await expect(page.getByTestId('logs-mode-find')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('logs-hits')).toContainText(/\d+ matches/);
  await expect(page.locator('.log-line__ts').first()).toHaveText(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('filter, invert, regex (an invalid one is explained, never a crash), case and severity', async ({ page }) => {
  const env = await launch(HISTORY);
  await page.goto(env.url + LOGS + '?follow=0');
  await expect(lines(page).first()).toBeVisible();
  const [, total] = await counts(page);
  expect(total).toBe(2000); // tail 1000 per pod
  // plain filter: every line shown contains the text
  await page.getByTestId('logs-query').fill('POST');
  await expect.poll(async () => (await counts(page))[0]).toBeLessThan(total);
  const shown = await lines(page).allTextContents();
  expect(shown.length).toBeGreaterThan(0);
  for (const l of shown) expect(l).toContain('POST');
  const [posts] = await counts(page);
  // invert: the others
  await page.getByTestId('logs-invert').click();
  await expect(page.getByTestId('logs-invert')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await counts(page))[0]).toBe(total - posts);
  for (const l of await lines(page).allTextContents()) expect(l).not.toContain('POST');
  await page.getByTestId('logs-invert').click();
  // case: "post" matches nothing when case-sensitive
  await page.getByTestId('logs-query').fill('post');
  await expect.poll(async () => (await counts(page))[0]).toBe(posts);
  await page.getByTestId('logs-case').click();
  await expect.poll(async () => (await counts(page))[0]).toBe(0);
  await expect(page.getByTestId('logs-empty')).toBeVisible();
  await page.getByTestId('logs-case').click();
  // regex
  await page.getByTestId('logs-regex').click();
  await page.getByTestId('logs-query').fill('"(GET|POST) /api');
  await expect.poll(async () => (await counts(page))[0]).toBeGreaterThan(0);
  for (const l of await lines(page).allTextContents()) expect(l).toMatch(/"(GET|POST) \/api/);
  const [good] = await counts(page);
  await page.getByTestId('logs-query').fill('"(GET|POST /api');
  await expect(page.getByTestId('logs-query-error')).toContainText('Invalid regular expression');
  await expect(page.getByTestId('logs-query')).toHaveAttribute('aria-invalid', 'true');
  // the last good filter stays applied
  expect((await counts(page))[0]).toBe(good);
  await page.getByTestId('logs-query').fill('');
  await expect(page.getByTestId('logs-query-error')).toHaveText('');
  // severity: only 5xx access lines
  for (const s of ['2xx', '3xx', '4xx', 'I', 'W', 'E', 'F', 'info', 'warn', 'error', 'crit', 'other']) {
    await page.getByTestId(`logs-sev-${s}`).click();
  }
  await expect(page).toHaveURL(/sev=5xx/);
  await expect.poll(async () => (await counts(page))[0]).toBeGreaterThan(0);
  for (const l of await lines(page).allTextContents()) expect(l).toMatch(/" 5\d\d \d+ "/);
});

test('table mode: access lines as sortable columns; a status filters by it; the stats bar sums what is shown', async ({ page }) => {
  const env = await launch(HISTORY);
  await page.goto(env.url + LOGS + '?follow=0&table=1');
  const rows = page.getByTestId('access-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('access-stats')).toContainText(/\d+ requests · 5XX [\d.]+% · P95 \d+ ms/);
  // sort by status, descending: the first row has the highest status
  await page.getByTestId('access-sort-status').click();
  await page.getByTestId('access-sort-status').click();
  await expect(page.getByTestId('access-sort-status')).toHaveAttribute('aria-sort', 'descending');
  const statuses = (await page.getByTestId('access-status').allTextContents()).map(Number);
  expect(statuses).toEqual([...statuses].sort((a, b) => b - a));
  // a status filters by it
  const first = String(statuses[0]);
  await page.getByTestId('access-status').first().click();
  await expect(page.getByTestId('access-field-filter')).toHaveText(`Status = ${first} ×`);
  await expect.poll(async () => new Set(await page.getByTestId('access-status').allTextContents())).toEqual(new Set([first]));
  // a path, too; the chip removes it
  const path = await page.getByTestId('access-path').first().textContent();
  await page.getByTestId('access-path').first().click();
  await expect.poll(async () => new Set(await page.getByTestId('access-path').allTextContents())).toEqual(new Set([path]));
  await page.getByTestId('access-field-filter').click();
  await expect(page.getByTestId('access-field-filter')).toHaveCount(0);
});

test('the download is what is shown, and all of it', async ({ page }) => {
  const env = await launch(HISTORY);
  await page.goto(env.url + LOGS + '?follow=0&q=GET');
  await expect(lines(page).first()).toBeVisible();
  // both pods' windows in (1,000 lines each), then read what is shown
  await expect.poll(async () => (await counts(page))[1]).toBe(2000);
  const [shown, total] = await counts(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('logs-download').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${CLUSTER_GW}-logs-\\d{8}-\\d{6}\\.log$`));
  const text = fs.readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean);
  expect(text.length).toBe(shown);
  for (const l of text) expect(l).toContain('GET');
  // the first lines on screen are the first lines of the file (pod prefix included)
  const onScreen = await page.getByTestId('log-line').evaluateAll((els) => els.slice(0, 5).map((e) => e.textContent));
  expect(text.slice(0, 5).map((l) => l.replace(/\s+/g, ' '))).toEqual(onScreen.map((l) => l.replace(/\s+/g, ' ')));
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('logs-download-all').click()]);
  expect(fs.readFileSync(await all.path(), 'utf8').split('\n').filter(Boolean).length).toBe(total);
});

test('more pods than connections: some are followed, the page says so; a chosen pod is followed', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p', '{"spec":{"deployment":{"replicas":4}}}']);
  await expect.poll(async () => (await podNames(env)).length).toBe(4);
  await page.goto(env.url + LOGS);
  await expect(summary(page)).toContainText('following 1 of 4 pods');
  await expect(page.getByTestId('logs-summary')).toContainText('not every pod is followed');
  const pods = await podNames(env);
  await page.getByTestId('logs-pod').selectOption(pods[3]);
  await expect(page).toHaveURL(new RegExp(`pods=${pods[3]}`));
  await expect(summary(page)).toContainText('following 1 of 1 pods');
  await expect(summary(page)).not.toContainText('not every pod');
  // one pod: no pod column
  await expect(lines(page).first()).toBeVisible();
  expect(await page.getByTestId('log-line-pod').count()).toBe(0);
});

test('hostile log lines stay text: markup, script, ANSI colours as styles, right-to-left isolated', async ({ page }) => {
  const env = await launch({ scenario: 'hostile', args: ['--log-lines', '3000'] });
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto(env.url + LOGS + '?follow=0&q=script');
  await expect(lines(page).first()).toBeVisible();
  await expect(lines(page).first()).toContainText('<script>');
  expect(await page.locator('.log-lines script, .log-lines img').count()).toBe(0);
  // the ANSI escape became a style, not text
  const text = await lines(page).first().textContent();
  expect(text).not.toContain('\u001b');
  expect(await page.locator('.log-lines .ansi-fg-1').count()).toBeGreaterThan(0);
  expect(dialogs).toBe(0);
});

test('a followed log that the server drops is resumed from its last line: no duplicate, no gap', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport', faults: 'watch-drop=3s' });
  const [pod] = await podNames(env);
  const logRequests = [];
  page.on('request', (r) => { if (r.url().includes(`/pods/${pod}/log?`)) logRequests.push(r.url()); });
  await page.goto(env.url + `${LOGS}?pods=${pod}&ts=utc&tail=100`);
  await expect(summary(page)).toContainText('following 1 of 1 pods');
  const first = (await counts(page))[1];
  // three drops later
  await page.waitForTimeout(10_000);
  await expect.poll(async () => (await counts(page))[1]).toBeGreaterThan(first);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('logs-download-all').click()]);
  const ours = fs.readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean);
  // access lines end with their unique request id (the banner legitimately repeats its rule line)
  const access = ours.filter((l) => /[0-9a-f]{32}$/.test(l));
  expect(access.length).toBeGreaterThan(10);
  expect(access.filter((l, i) => access.indexOf(l) !== i), 'no line twice').toEqual([]);
  const stamps = ours.map((l) => l.split(' ')[0]);
  expect([...stamps].sort(), 'in time order').toEqual(stamps);
  // every line the kubelet has between our first and last line is ours too
  const theirs = (await kubectl(env.cluster, ['logs', '-n', CS, pod, '-c', 'controller', '--timestamps', '--tail=-1']))
    .split('\n').filter(Boolean)
    .map((l) => { const i = l.indexOf(' '); return [l.slice(0, i), l.slice(i + 1)]; })
    .filter(([ts]) => ts.slice(0, 23) >= stamps[0].slice(0, 23) && ts.slice(0, 23) <= stamps.at(-1).slice(0, 23));
  const texts = new Set(ours.map((l) => l.slice(l.indexOf(' ') + 1)));
  const missing = theirs.filter(([, text]) => !texts.has(text));
  expect(missing, 'no gap').toEqual([]);
  expect(theirs.length).toBeGreaterThanOrEqual(ours.length - 1);
  // it was dropped and resumed, with sinceTime
  expect(logRequests.length).toBeGreaterThanOrEqual(3);
  expect(logRequests.slice(1).every((u) => u.includes('sinceTime='))).toBe(true);
});

test('the previous container of a restarted pod: its lines are marked, and it is not followed', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await kubectl(env.cluster, ['patch', 'gateway', '-n', CS, CLUSTER_GW, '--type=merge', '-p', '{"spec":{"deployment":{"resources":{"limits":{"memory":"50Mi"}}}}}']);
  const restarted = async () => {
    const pods = JSON.parse(await kubectl(env.cluster, ['get', 'pods', '-n', CS, '-o', 'json'])).items
      .filter((p) => p.metadata.name.startsWith(`${CLUSTER_GW}-`));
    return pods.filter((p) => (p.status.containerStatuses || []).some((c) => c.restartCount > 0 && c.lastState?.terminated)).map((p) => p.metadata.name);
  };
  await expect.poll(restarted, { timeout: 60_000 }).not.toEqual([]);
  const [pod] = await restarted();
  await page.goto(env.url + `${LOGS}?previous=1`);
  await expect(page.getByTestId('logs-follow')).toBeDisabled();
  await expect(page.getByTestId('log-line-pod').first()).toHaveText(/ \(previous\)$/);
  // the previous run starts with its banner
  await page.getByTestId('logs-query').fill('Starting NGINX Ingress controller');
  await expect(lines(page).first()).toContainText('Starting NGINX Ingress controller');
  expect(pod).toBeTruthy();
  await expect(summary(page)).not.toContainText('following');
});

test('a pod row in Resource Status opens that pod\'s logs', async ({ page }) => {
  const env = await launch({ scenario: 'nodeport' });
  await page.goto(env.url + `/gateways/${CS}/${CLUSTER_GW}/resource-status`);
  const row = page.getByTestId('pod-row').first();
  const pod = await row.getAttribute('data-pod');
  await row.getByTestId('pod-logs').click();
  await expect(page).toHaveURL(new RegExp(`/logs\\?pods=${pod}$`));
  await expect(page.getByTestId('logs-pod')).toHaveValue(pod);
  await expect(lines(page).first()).toBeVisible();
  await expect(summary(page)).toContainText('following 1 of 1 pods');
});
