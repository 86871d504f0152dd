// Starts devcluster and the app server for a test; everything is stopped by stopAll().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer } from './serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
/** The devcluster binary; `DEVCLUSTER_BIN` overrides it (e.g. a build in another target dir). */
export const DEVCLUSTER = process.env.DEVCLUSTER_BIN ? path.resolve(process.env.DEVCLUSTER_BIN) : path.join(ROOT, 'target', 'release', 'devcluster');
/** Where devcluster caches the TSDB blocks of its backfilled week (per seed, scenario, build). */
export const BACKFILL_CACHE = path.join(ROOT, 'target', 'devcluster-backfill');
export const PROMETHEUS = process.env.PROMETHEUS || 'prometheus';
/** Scrape interval of the Prometheus of `launch({ prometheus: true })`. */
export const SCRAPE_INTERVAL = '2s';

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
 * With `prometheus: true` it also starts a real Prometheus on a free port, on 7 days of history
 * that devcluster backfills into its data directory (see startPrometheus), and devcluster's
 * service proxy `prometheus-k8s:9090` forwards to it; without, that proxy answers 503 like an
 * API server whose Prometheus is down.
 * `args`: more devcluster flags, e.g. `['--log-lines', '200000']`.
 * Returns { url, port, stop(), prometheus?: { url, port, history, stop() } }.
 */
export async function startCluster({ scenario = 'nodeport', as = 'admin', faults = '', pace = '0.2', seed, port, prometheus = false, args: extraArgs = [] } = {}) {
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
  args.push(...extraArgs);
  let prom = null;
  if (prometheus) {
    prom = {
      port: await freePort(),
      metricsPort: await freePort(),
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'devcluster-prometheus-')),
    };
    args.push(
      '--metrics-listen', `127.0.0.1:${prom.metricsPort}`,
      '--prometheus', `http://127.0.0.1:${prom.port}`,
      '--prometheus-data', path.join(prom.dir, 'data'),
      '--backfill-cache', BACKFILL_CACHE,
    );
  }
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
    prometheus: undefined,
    stop: async () => {
      running.delete(handle);
      await handle.prometheus?.stop();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      if (prom) fs.rmSync(prom.dir, { recursive: true, force: true });
    },
  };
  running.add(handle);
  try {
    // the first start in a 6-hour block (per scenario and seed) writes the week's history
    await waitFor(`${url}/version`, { exited: () => failure, timeoutMs: prometheus ? 90000 : 20000 });
    if (prom) handle.prometheus = await startPrometheus({ ...prom, metrics: `127.0.0.1:${prom.metricsPort}` });
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/**
 * Starts Prometheus on `dir/data` (where devcluster has written its history) at 127.0.0.1:`port`,
 * scraping devcluster's http_sd targets at `metrics` every SCRAPE_INTERVAL, and waits until it is
 * ready and has scraped every target once (Prometheus' service discovery alone takes ~5 s).
 * Returns { url, port, history, stop() }; `history` is devcluster's /history (when the
 * backfilled bursts, latency spike and reloads happened, Unix seconds).
 */
export async function startPrometheus({ dir, port, metrics }) {
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, [
    'global:',
    `  scrape_interval: ${SCRAPE_INTERVAL}`,
    `  scrape_timeout: ${SCRAPE_INTERVAL}`,
    'scrape_configs:',
    '  - job_name: devcluster',
    '    http_sd_configs:',
    `      - url: http://${metrics}/targets`,
    '        refresh_interval: 5s',
    '',
  ].join('\n'));
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    '--storage.tsdb.retention.time=15d',
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  const child = spawn(PROMETHEUS, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  let failure = null;
  child.on('error', (err) => { failure = `cannot start ${PROMETHEUS} (${err.message}); run \`cargo xtask setup\``; });
  child.on('exit', (code, signal) => {
    children.delete(child);
    failure ??= `prometheus exited (${signal ?? code}): ${stderr.trim()}`;
  });
  const url = `http://127.0.0.1:${port}`;
  const handle = {
    url,
    port,
    history: null,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitFor(`${url}/-/ready`, { exited: () => failure, timeoutMs: 30000 });
    const targets = await (await fetch(`http://${metrics}/targets`)).json();
    const deadline = Date.now() + 30000;
    for (;;) {
      if (failure) throw new Error(failure);
      const r = await (await fetch(`${url}/api/v1/targets?state=active`)).json();
      const up = (r.data?.activeTargets ?? []).filter((t) => t.health === 'up').length;
      if (up >= targets.length) break;
      if (Date.now() > deadline) throw new Error(`Prometheus scraped ${up} of ${targets.length} targets within 30 s`);
      await new Promise((res) => setTimeout(res, 100));
    }
    handle.history = await (await fetch(`http://${metrics}/history`)).json();
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/**
 * Serves dist/ (SPA fallback) with /k8s/ proxied, streaming, to a devcluster: `api` is its port,
 * its handle from startCluster, or a base URL; `mounts` adds static directories (see
 * serve.mjs). Returns { url, port, stop() }.
 */
export async function startApp(api, { mounts = [] } = {}) {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: build it with \`trunk build --release\` (or run \`cargo xtask e2e\`)`);
  }
  const apiUrl = typeof api === 'number' ? `http://127.0.0.1:${api}` : (api.url ?? String(api));
  const server = await startAppServer({ dist: DIST, api: apiUrl, mounts });
  const handle = { url: server.url, port: server.port, stop: async () => { running.delete(handle); await server.close(); } };
  running.add(handle);
  return handle;
}

/**
 * Cluster + app in one call. `launch({ prometheus: true, ... })` also starts a real Prometheus
 * with 7 days of backfilled history (opt-in: it adds a few seconds): `env.prometheus` is its
 * base URL (query it directly), `env.history` when the backfilled incidents happened, and
 * `env.cluster.prometheus.stop()` takes it down (the proxy then answers 503).
 */
export async function launch(options = {}) {
  const cluster = await startCluster(options);
  const app = await startApp(cluster.url);
  return { cluster, app, url: app.url, prometheus: cluster.prometheus?.url, history: cluster.prometheus?.history };
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
