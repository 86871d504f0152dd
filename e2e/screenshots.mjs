// Screenshots of every page, light/dark × en/zh, into e2e/screenshots/; the cluster gateway
// page (light, en) also becomes docs/screenshot.png for the README.
import fs from 'node:fs';
import path from 'node:path';
import { chromium as pw } from '@playwright/test';
import { chromium } from './playwright.config.mjs';
import { ROOT, freePort, launch, startApp, stopAll, stopAllOnSignals } from './harness.mjs';

stopAllOnSignals();

const out = path.join(ROOT, 'e2e', 'screenshots');
fs.mkdirSync(out, { recursive: true });
const pages = [
  { name: 'cluster-gateway', scenario: 'nodeport', path: '/clusters/gateways', wait: 'gateway-card' },
  { name: 'cluster-gateway-empty', scenario: 'empty', path: '/clusters/gateways', wait: 'empty-state' },
  { name: 'project-gateways-tab', scenario: 'projects', path: '/clusters/gateways?tab=project', wait: 'project-gateway-table' },
  { name: 'project-page', scenario: 'projects', path: '/projects/shop/gateways', wait: 'gateway-card' },
  { name: 'hostile', scenario: 'hostile', path: '/clusters/gateways', wait: 'gateway-card' },
  { name: 'api-unreachable', scenario: null, path: '/clusters/gateways', wait: 'api-error' },
];
const browser = await pw.launch({ headless: true, ...chromium });
try {
  for (const p of pages) {
    const url = p.scenario ? (await launch({ scenario: p.scenario })).url : (await startApp(`http://127.0.0.1:${await freePort()}`)).url;
    for (const theme of ['light', 'dark']) {
      for (const lang of ['en', 'zh']) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        await context.addInitScript(([t, l]) => {
          localStorage.setItem('gateway-console.theme', t);
          localStorage.setItem('gateway-console.locale', l);
        }, [theme, lang]);
        const page = await context.newPage();
        await page.goto(url + p.path);
        await page.getByTestId(p.wait).first().waitFor({ timeout: 20_000 });
        await page.waitForTimeout(300);
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
