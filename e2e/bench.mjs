// Time from navigation start to the first page's data rendered (the app's
// performance.mark "gateway-console:first-data"), median of 11 cold loads in headless
// Chromium against devcluster. Prints one number (ms) per load on stdout.
import { chromium as pw } from '@playwright/test';
import { chromium } from './playwright.config.mjs';
import { launch, stopAll, stopAllOnSignals } from './harness.mjs';

stopAllOnSignals();

const LOADS = Number(process.env.BENCH_LOADS || 11);
const env = await launch({ scenario: 'nodeport' });
const browser = await pw.launch({ headless: true, ...chromium });
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(env.url + '/clusters/gateways');
    const ms = await page.waitForFunction(() => {
      const m = performance.getEntriesByName('gateway-console:first-data')[0];
      return m ? m.startTime : null;
    }, null, { timeout: 30_000 });
    console.log((await ms.jsonValue()).toFixed(1));
    await context.close();
  }
} finally {
  await browser.close();
  await stopAll();
}
