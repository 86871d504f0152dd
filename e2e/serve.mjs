// Static server for dist/ with SPA fallback, reverse-proxying /k8s/ to a Kubernetes API
// (devcluster) without buffering, so watch streams flow. Used by the e2e tests, bench and
// screenshots; `node serve.mjs <dist> <port> <api-url>` runs it standalone.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

/** Starts the server; `api` is the upstream base URL (e.g. http://127.0.0.1:18001). */
/** The CSP the build put in index.html's <meta>, sent as a header as a real server would. */
function cspOf(dist) {
  try {
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    return html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * `mounts`: extra static directories, `[{ prefix: '/__bench/', dir }]`, served as they are
 * (no SPA fallback, no CSP): benchmark pages beside the app, on its origin.
 */
export function startAppServer({ dist, api, port = 0, apiPrefix = '/k8s/', mounts = [] }) {
  const upstream = new URL(api);
  const csp = cspOf(dist);
  const server = http.createServer((req, res) => {
    const mount = mounts.find((m) => req.url.startsWith(m.prefix));
    if (mount) {
      serveMounted(mount, req, res);
      return;
    }
    if (req.url.startsWith(apiPrefix)) {
      const target = '/' + req.url.slice(apiPrefix.length);
      const proxied = http.request({
        host: upstream.hostname, port: upstream.port, method: req.method, path: target,
        headers: { ...req.headers, host: upstream.host },
      }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        res.flushHeaders(); // no buffering: watch/log streams stay open and flow chunk by chunk
        up.on('error', () => res.destroy());
        up.on('aborted', () => res.destroy());
        up.pipe(res);
      });
      proxied.on('error', (err) => {
        if (res.headersSent) {
          res.destroy(); // a stream cut mid-way must look cut to the client
          return;
        }
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`Error trying to reach the API server: ${err.code || err.message}`);
      });
      res.on('close', () => proxied.destroy());
      req.pipe(proxied);
      return;
    }
    let urlPath;
    try {
      urlPath = decodeURIComponent(req.url.split('?')[0]);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad request');
      return;
    }
    let file = path.join(dist, path.normalize(urlPath).replace(/^(\.\.[/\\])+/, ''));
    const exists = file.startsWith(dist + path.sep) && fs.existsSync(file) && !fs.statSync(file).isDirectory();
    // pkg/<build-id>/ holds one build's wasm, js and chunks, named by content: cached forever,
    // and a file of another build is a 404 (never index.html in its place)
    const inPkg = urlPath.startsWith('/pkg/');
    if (!exists && inPkg) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    if (!exists) file = path.join(dist, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': inPkg ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(csp ? { 'content-security-policy': csp } : {}),
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({
        url: `http://127.0.0.1:${p}`,
        port: p,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

function serveMounted({ prefix, dir }, req, res) {
  let rel;
  try {
    rel = decodeURIComponent(req.url.split('?')[0].slice(prefix.length));
  } catch {
    rel = null;
  }
  const root = path.resolve(dir);
  const file = rel === null ? null : path.resolve(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
  if (!file || !file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
  fs.createReadStream(file).pipe(res);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dist = 'dist', port = '8080', api = 'http://127.0.0.1:8001'] = process.argv.slice(2);
  const s = await startAppServer({ dist: path.resolve(dist), api, port: Number(port) });
  console.log(`serving ${dist} on ${s.url}, /k8s/ → ${api}`);
}
