// The `test` every app spec uses: Playwright's, plus checks after each test that run for the
// whole suite — the app never panicked (with panic = "abort" a panic ends it), the browser
// reported no Content-Security-Policy violation, and the app contacted no origin other than its
// own (everything goes through the same-origin proxy).
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use) => {
    const violations = [];
    const foreign = [];
    const panics = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      if (m.type() === 'error' && /panicked at/.test(m.text())) panics.push(m.text().slice(0, 400));
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['http:', 'https:'].includes(url.protocol)) return; // data:, blob:
      if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') foreign.push(r.url());
    });
    await use(page);
    // A test may name a known panic it reaches (annotation `known-panic` with the issue); every
    // other panic fails the test.
    const known = test.info().annotations.some((a) => a.type === 'known-panic');
    if (!known) expect(panics, 'panics').toEqual([]);
    expect(violations, 'CSP violations').toEqual([]);
    expect(foreign, 'requests to other origins').toEqual([]);
  },
});

export { expect };
