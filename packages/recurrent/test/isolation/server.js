// A static server for the cross-origin isolation pages (Node's http, no dependency): serves this folder's page
// (index.html, page.js) and the built packages/recurrent/dist/recurrent.min.js on 127.0.0.1. With
// `isolated: true` every response carries
//
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
//   Cross-Origin-Resource-Policy: same-origin
//
// so the page is cross-origin isolated (`crossOriginIsolated` true: SharedArrayBuffer, and so WebAssembly threads,
// are available); without, the same files are served without those headers. Used by
// packages/recurrent/test/isolation.test.ts and bench/browser.js; by hand:
//
//   npm run build && node packages/recurrent/test/isolation/server.js     (prints both URLs; Ctrl+C stops)
const fs = require('fs');
const http = require('http');
const path = require('path');

const here = __dirname;
const dist = path.resolve(here, '../../dist');
const bundlePath = path.join(dist, 'recurrent.min.js');

/** URL path → file; nothing else is reachable. */
const FILES = {
  '/': path.join(here, 'index.html'),
  '/index.html': path.join(here, 'index.html'),
  '/page.js': path.join(here, 'page.js'),
  '/recurrent.min.js': bundlePath,
  '/recurrent.min.js.map': path.join(dist, 'recurrent.min.js.map'),
};

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** The headers that make a page cross-origin isolated. */
const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Starts a server; resolves to { origin, url (the page), isolated, requests (paths, in order), close() }.
 * `port` 0 (default) picks a free one.
 */
function startIsolationServer({ isolated, port = 0, host = '127.0.0.1' }) {
  if (typeof isolated !== 'boolean') throw new Error(`startIsolationServer: isolated must be true or false, received ${isolated}`);
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = (req.url || '/').split('?')[0];
    requests.push(url);
    const extra = isolated ? ISOLATION_HEADERS : {};
    if (url === '/favicon.ico') {
      res.writeHead(204, extra);
      res.end();
      return;
    }
    const file = FILES[url];
    if (req.method !== 'GET' || !file || !fs.existsSync(file)) {
      const hint = url === '/recurrent.min.js' ? ' (run `npm run build` first)' : '';
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain', ...extra });
      res.end(`not found: ${url}${hint}`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const origin = `http://${host}:${server.address().port}`;
      resolve({
        origin,
        url: `${origin}/`,
        isolated,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = { startIsolationServer, bundlePath, ISOLATION_HEADERS };

if (require.main === module) {
  if (!fs.existsSync(bundlePath)) console.warn(`warning: ${bundlePath} is missing; run \`npm run build\` first.`);
  const port = Number(process.env.PORT || 8770);
  Promise.all([startIsolationServer({ isolated: true, port }), startIsolationServer({ isolated: false, port: port + 1 })])
    .then(([a, b]) => console.log(`cross-origin isolated: ${a.url}\nnot isolated:          ${b.url}\n(Ctrl+C to stop)`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
