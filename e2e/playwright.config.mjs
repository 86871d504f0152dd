import { defineConfig } from '@playwright/test';

// The system Chromium (Debian's package); browsers are never downloaded.
export const chromium = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

// Each test starts its own devcluster(s) and static+proxy server on free ports (harness.mjs),
// so the suite never collides with a running `cargo xtask run` (8001/8080). One worker: 2 cores.
export default defineConfig({
  testDir: './tests',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: chromium,
    trace: 'off',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
});
