// Screenshots of every page, light/dark × en/zh, into e2e/screenshots/; the cluster gateway
// page (light, en) also becomes docs/screenshot.png for the README.
import fs from 'node:fs';
import path from 'node:path';
import { chromium as pw } from '@playwright/test';
import { chromium } from './playwright.config.mjs';
import { ROOT, freePort, kubectl, launch, startApp, stopAll, stopAllOnSignals } from './harness.mjs';

stopAllOnSignals();

const out = path.join(ROOT, 'e2e', 'screenshots');
fs.mkdirSync(out, { recursive: true });
const DETAILS = '/gateways/kubesphere-controls-system/kubesphere-router-kubesphere-system';
const pages = [
  { name: 'cluster-gateway', scenario: 'nodeport', path: '/clusters/gateways', wait: 'gateway-card' },
  { name: 'cluster-gateway-empty', scenario: 'empty', path: '/clusters/gateways', wait: 'empty-state' },
  { name: 'project-gateways-tab', scenario: 'projects', path: '/clusters/gateways?tab=project', wait: 'project-gateway-table' },
  { name: 'project-page', scenario: 'projects', path: '/projects/shop/gateways', wait: 'gateway-card' },
  { name: 'hostile', scenario: 'hostile', path: '/clusters/gateways', wait: 'gateway-card' },
  { name: 'api-unreachable', scenario: null, path: '/clusters/gateways', wait: 'api-error' },
  {
    name: 'enable-dialog', scenario: 'empty', path: '/clusters/gateways', wait: 'enable-gateway',
    act: async (page) => {
      await page.getByTestId('enable-gateway').click();
      await page.getByTestId('access-mode-LoadBalancer').check();
      await page.getByTestId('annotation-add').click();
      await page.getByTestId('annotation-key').last().fill('Bad Key/x');
      await page.getByTestId('config-add').click();
      await page.getByTestId('config-key').last().fill('proxy-read-timeout');
      await page.getByTestId('config-value').last().fill('soon');
    },
  },
  {
    name: 'manage-menu', scenario: 'nodeport', path: '/clusters/gateways', wait: 'gateway-card', as: 'viewer',
    act: async (page) => { await page.getByTestId('manage-button').click(); },
  },
  {
    name: 'disable-dialog', scenario: 'nodeport', path: '/clusters/gateways', wait: 'gateway-card',
    act: async (page) => {
      await page.getByTestId('manage-button').click();
      await page.getByTestId('manage-disable').click();
      await page.getByTestId('disable-confirm-input').fill('kubesphere-router');
    },
  },
  {
    name: 'project-gateways-selected', scenario: 'projects', path: '/clusters/gateways?tab=project', wait: 'row-health',
    act: async (page) => {
      await page.getByTestId('row-select').first().check();
      await page.getByTestId('project-gateway-row').last().getByTestId('manage-button').click();
    },
  },
  { name: 'project-gateways-large', scenario: 'large', path: '/clusters/gateways?tab=project', wait: 'row-health' },
  {
    name: 'legacy-update', scenario: 'legacy', path: '/projects/legacy/gateways', wait: 'legacy-update',
    act: async (page) => { await page.getByTestId('legacy-update').click(); },
  },
  { name: 'gateway-details', scenario: 'hostile', path: `${DETAILS}`, wait: 'replicas-card' },
  { name: 'details-hostile-config', scenario: 'hostile', path: `${DETAILS}/gateway-configs`, wait: 'config-row' },
  { name: 'details-hostile-events', scenario: 'hostile', path: `${DETAILS}/events`, wait: 'events-panel' },
  {
    name: 'details-resource-status', scenario: 'nodeport', path: `${DETAILS}/resource-status`, wait: 'pod-row',
    act: async (page) => {
      await page.getByTestId('pod-expand').first().click();
      await page.getByTestId('replicas-plus').click();
    },
  },
  {
    name: 'details-config-drift', scenario: 'nodeport', path: `${DETAILS}/gateway-configs`, wait: 'config-row',
    setup: async (env) => {
      await kubectl(env.cluster, ['patch', 'configmap', '-n', 'kubesphere-controls-system', 'kubesphere-router-kubesphere-system', '--type=merge',
        '-p', JSON.stringify({ data: { 'worker-processes': '8', 'hand-edited': 'true' } })]);
    },
  },
  { name: 'details-events', scenario: 'nodeport', path: `${DETAILS}/events`, wait: 'events-panel' },
  { name: 'details-monitoring', scenario: 'nodeport', prometheus: true, path: `${DETAILS}/monitors?range=1h`, wait: 'overview-strip', settle: 2500, tall: true },
  { name: 'details-monitoring-project', scenario: 'projects', prometheus: true, path: '/gateways/kubesphere-controls-system/kubesphere-router-shop/monitors?range=6h', wait: 'overview-strip', settle: 2500 },
  { name: 'details-monitoring-unavailable', scenario: 'nodeport', path: `${DETAILS}/monitors`, wait: 'monitoring-unavailable' },
  { name: 'details-logs', scenario: 'nodeport', path: `${DETAILS}/logs?ts=utc&q=GET&mode=find`, wait: 'log-line', settle: 1500 },
  { name: 'details-logs-table', scenario: 'nodeport', path: `${DETAILS}/logs?table=1&follow=0`, wait: 'access-row', settle: 800 },
  { name: 'details-logs-hostile', scenario: 'hostile', path: `${DETAILS}/logs?follow=0&wrap=1`, wait: 'log-line', settle: 800 },
  { name: 'details-metadata', scenario: 'nodeport', path: `${DETAILS}/metadata`, wait: 'yaml-view' },
  { name: 'details-viewer', scenario: 'nodeport', as: 'viewer', path: `${DETAILS}/resource-status`, wait: 'replicas-denied' },
  { name: 'project-enable-blocked', scenario: 'nodeport', path: '/projects/demo/gateways', wait: 'enable-reason' },
  { name: 'legacy-table', scenario: 'legacy', path: '/clusters/gateways?tab=project', wait: 'legacy-row' },
  { name: 'legacy-check-failed', scenario: 'legacy', faults: 'fail=ks-router', path: '/projects/legacy/gateways', wait: 'enable-reason' },
  { name: 'table-notices', scenario: 'projects', faults: 'fail=ks-router,fail=kubesphere-config', path: '/clusters/gateways?tab=project', wait: 'legacy-check-failed' },
];
const browser = await pw.launch({ headless: true, ...chromium });
try {
  // `node screenshots.mjs enable-dialog manage-menu`: only these
  const only = process.argv.slice(2);
  for (const p of pages.filter((x) => !only.length || only.includes(x.name))) {
    const env = p.scenario ? await launch({ scenario: p.scenario, as: p.as ?? 'admin', faults: p.faults ?? '', prometheus: !!p.prometheus }) : null;
    const url = env ? env.url : (await startApp(`http://127.0.0.1:${await freePort()}`)).url;
    if (p.setup) await p.setup(env);
    for (const theme of ['light', 'dark']) {
      for (const lang of ['en', 'zh']) {
        const context = await browser.newContext({ viewport: { width: 1400, height: p.tall ? 1800 : 900 } });
        await context.addInitScript(([t, l]) => {
          localStorage.setItem('gateway-console.theme', t);
          localStorage.setItem('gateway-console.locale', l);
        }, [theme, lang]);
        const page = await context.newPage();
        await page.goto(url + p.path);
        await page.getByTestId(p.wait).first().waitFor({ timeout: 20_000 });
        if (p.act) await p.act(page);
        await page.waitForTimeout(p.settle ?? 400);
        const file = path.join(out, `${p.name}-${theme}-${lang}.png`);
        await page.screenshot({ path: file });
        console.log(file);
        if (p.name === 'cluster-gateway' && theme === 'light' && lang === 'en') {
          fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
          fs.copyFileSync(file, path.join(ROOT, 'docs', 'screenshot.png'));
        }
        await context.close();
      }
    }
    await stopAll();
  }
} finally {
  await browser.close();
  await stopAll();
}
