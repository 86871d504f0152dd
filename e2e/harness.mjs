// Starts devcluster and the app server for a test; everything is stopped by stopAll().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer } from './serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const DEVCLUSTER = path.join(ROOT, 'target', 'release', 'devcluster');

const running = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(url, { timeoutMs = 20000, exited = () => null } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(gone);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every devcluster still running, so that they die with this process whatever happens. */
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** For standalone scripts (bench, screenshots): Ctrl-C / SIGTERM stop the servers too. */
export function stopAllOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      stopAll().finally(() => process.exit(130));
    });
  }
}

/**
 * Starts `target/release/devcluster` on its own port (random free port unless `port` is given,
 * e.g. to start it late at an address the app already uses) and waits for `/version`.
 * Returns { url, port, stop() }.
 */
export async function startCluster({ scenario = 'nodeport', as = 'admin', faults = '', pace = '0.2', seed, port } = {}) {
  if (!fs.existsSync(DEVCLUSTER)) {
    throw new Error(`${DEVCLUSTER} is missing: build it with \`cargo build --release -p devcluster\` (or run \`cargo xtask e2e\`)`);
  }
  if (port !== undefined && await listening(port)) {
    throw new Error(`cannot start devcluster on 127.0.0.1:${port}: the port is in use`);
  }
  const p = port ?? await freePort();
  const args = ['--listen', `127.0.0.1:${p}`, '--scenario', scenario, '--as', as, '--pace', String(pace)];
  if (faults) args.push('--faults', faults);
  if (seed !== undefined) args.push('--seed', String(seed));
  const child = spawn(DEVCLUSTER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); process.stderr.write(d); });
  let failure = null;
  child.on('error', (err) => { failure = `cannot start ${DEVCLUSTER}: ${err.message}`; });
  child.on('exit', (code, signal) => {
    children.delete(child);
    failure ??= `devcluster ${args.join(' ')} exited (${signal ?? code}) before answering: ${stderr.trim()}`;
  });
  const url = `http://127.0.0.1:${p}`;
  const handle = {
    url,
    port: p,
    scenario,
    stop: async () => {
      running.delete(handle);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  running.add(handle);
  try {
    await waitFor(`${url}/version`, { exited: () => failure });
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/**
 * Serves dist/ (SPA fallback) with /k8s/ proxied, streaming, to a devcluster: `api` is its port,
 * its handle from startCluster, or a base URL. Returns { url, port, stop() }.
 */
export async function startApp(api) {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: build it with \`trunk build --release\` (or run \`cargo xtask e2e\`)`);
  }
  const apiUrl = typeof api === 'number' ? `http://127.0.0.1:${api}` : (api.url ?? String(api));
  const server = await startAppServer({ dist: DIST, api: apiUrl });
  const handle = { url: server.url, port: server.port, stop: async () => { running.delete(handle); await server.close(); } };
  running.add(handle);
  return handle;
}

/** Cluster + app in one call. */
export async function launch(options = {}) {
  const cluster = await startCluster(options);
  const app = await startApp(cluster.url);
  return { cluster, app, url: app.url };
}

export async function stopAll() {
  await Promise.all([...running].map((h) => h.stop()));
}

/** Runs the real kubectl against a devcluster. */
export function kubectl(cluster, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.KUBECTL || 'kubectl', ['-s', cluster.url, ...args], { env: { ...process.env, KUBECONFIG: '/dev/null' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (err) => reject(new Error(`cannot run kubectl: ${err.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')}: ${out}`))));
  });
}
