// The static + proxy server the other tests (and bench/screenshots) run the app behind:
// SPA fallback for deep links, and a /k8s/ proxy that streams (watches stay open, lines flow).
// Needs neither devcluster nor a browser.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startAppServer } from '../serve.mjs';
import { freePort } from '../harness.mjs';

let dist;
let upstream;
let app;

test.beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'gc-dist-'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>index</title>');
  fs.writeFileSync(path.join(dist, 'app-0123abcd.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, 'config.json'), '{"apiBase":"/k8s"}');
  fs.mkdirSync(path.join(dist, 'pkg', '0123456789ab'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'pkg', '0123456789ab', 'split_x.wasm'), 'wasm');
  // a stand-in API server: /version, a watch that sends one line every 300 ms and stays open,
  // and an echo of what the proxy forwarded
  upstream = http.createServer((req, res) => {
    if (req.url === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"major":"1","minor":"33"}');
    } else if (req.url.startsWith('/api/v1/namespaces?watch=true')) {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      let n = 0;
      const timer = setInterval(() => res.write(JSON.stringify({ type: 'ADDED', n: n++ }) + '\n'), 300);
      res.on('close', () => clearInterval(timer));
    } else {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', method: req.method, url: req.url, host: req.headers.host, body }));
      });
    }
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  app = await startAppServer({ dist, api: `http://127.0.0.1:${upstream.address().port}` });
});

test.afterAll(async () => {
  await app?.close();
  upstream?.closeAllConnections();
  await new Promise((r) => upstream?.close(r));
  fs.rmSync(dist, { recursive: true, force: true });
});

test('files are served with their types; deep links and unknown paths get index.html', async () => {
  let r = await fetch(`${app.url}/app-0123abcd.js`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('javascript');
  expect(await r.text()).toBe('console.log(1)');
  r = await fetch(`${app.url}/config.json`);
  expect(r.headers.get('content-type')).toContain('application/json');
  for (const deep of ['/', '/clusters/gateways?tab=project', '/projects/demo/gateways', '/no/such/file.js']) {
    r = await fetch(app.url + deep);
    expect(r.status, deep).toBe(200);
    expect(r.headers.get('content-type'), deep).toContain('text/html');
    expect(await r.text(), deep).toContain('<title>index</title>');
  }
  // no escaping dist/
  r = await fetch(`${app.url}/..%2f..%2f..%2fetc%2fpasswd`);
  expect(await r.text()).toContain('<title>index</title>');
});

test('pkg/<build>/ files are cached forever; one of another build is a 404, not index.html', async () => {
  let r = await fetch(`${app.url}/pkg/0123456789ab/split_x.wasm`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/wasm');
  expect(r.headers.get('cache-control')).toContain('immutable');
  r = await fetch(`${app.url}/pkg/ba9876543210/split_x.wasm`);
  expect(r.status).toBe(404);
  r = await fetch(`${app.url}/index.html`);
  expect(r.headers.get('cache-control')).toBe('no-cache');
});

test('/k8s/ is proxied with the prefix removed: method, query, body and status pass through', async () => {
  let r = await fetch(`${app.url}/k8s/version`);
  expect(r.status).toBe(200);
  expect(await r.json()).toEqual({ major: '1', minor: '33' });
  r = await fetch(`${app.url}/k8s/apis/gateway.kubesphere.io/v1alpha1/gateways?limit=5`, {
    method: 'PATCH', body: '{"spec":{}}', headers: { 'content-type': 'application/merge-patch+json' },
  });
  expect(r.status).toBe(404);
  const echo = await r.json();
  expect(echo).toMatchObject({ method: 'PATCH', url: '/apis/gateway.kubesphere.io/v1alpha1/gateways?limit=5', body: '{"spec":{}}' });
  expect(echo.host).toBe(`127.0.0.1:${upstream.address().port}`);
});

test('watch streams are not buffered: each line arrives while the response stays open', async () => {
  const started = Date.now();
  const r = await fetch(`${app.url}/k8s/api/v1/namespaces?watch=true`);
  expect(r.status).toBe(200);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const arrivals = [];
  while (arrivals.length < 3) {
    const { value, done } = await reader.read();
    expect(done).toBe(false);
    text += decoder.decode(value, { stream: true });
    const lines = text.split('\n').filter(Boolean).length;
    while (arrivals.length < lines) arrivals.push(Date.now() - started);
  }
  await reader.cancel();
  expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).n).slice(0, 3)).toEqual([0, 1, 2]);
  // the first line came long before the third (about 300 ms apart each), not all at the end
  expect(arrivals[0]).toBeLessThan(arrivals[2] - 300);
});

test('an API server that is down answers 502 (the app then shows its unreachable view)', async () => {
  const down = await startAppServer({ dist, api: `http://127.0.0.1:${await freePort()}` });
  try {
    const r = await fetch(`${down.url}/k8s/api`);
    expect(r.status).toBe(502);
    expect(await r.text()).toContain('ECONNREFUSED');
  } finally {
    await down.close();
  }
});
