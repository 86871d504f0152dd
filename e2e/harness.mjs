// Starts devcluster and the app server for a test; everything is stopped by stopAll().
import { spawn } from 'node:child_process';
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

async function waitFor(url, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts `devcluster` with a scenario; `port` may be fixed (e.g. to start it late). */
export async function startCluster({ scenario = 'nodeport', as = 'admin', faults = '', pace = '0.2', port } = {}) {
  const p = port ?? await freePort();
  const args = ['--listen', `127.0.0.1:${p}`, '--scenario', scenario, '--as', as, '--pace', pace];
  if (faults) args.push('--faults', faults);
  const child = spawn(DEVCLUSTER, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${p}`;
  const handle = {
    url,
    port: p,
    stop: async () => {
      running.delete(handle);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
  running.add(handle);
  await waitFor(`${url}/version`);
  return handle;
}

/** Serves dist/ with /k8s/ proxied to `apiUrl`. */
export async function startApp(apiUrl) {
  const server = await startAppServer({ dist: DIST, api: apiUrl });
  const handle = { url: server.url, stop: async () => { running.delete(handle); await server.close(); } };
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
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')}: ${out}`))));
  });
}
