// A tiny static server for the browser example (no dependencies): serves examples/ and the built
// bundle packages/recurrent/dist/ from the repository root on 127.0.0.1, and prints the URL to open.
//
//   npm run build          # once: makes packages/recurrent/dist/recurrent.min.js
//   npm run example:browser           (PORT=9000 npm run example:browser for another port)
//
// Also used by the browser test (packages/recurrent/test/examples_browser.test.ts): require it and
// call startServer({ port: 0 }).
const fs = require('fs');
const http = require('http');
const path = require('path');

const root = path.resolve(__dirname, '..');
/** Only these folders (relative to the repository root) can be fetched. */
const SERVED = ['examples', path.join('packages', 'recurrent', 'dist')].map((d) => path.join(root, d) + path.sep);
const PAGE = '/examples/browser/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/** The file a URL path names, or null when it is outside the served folders. */
function resolve(urlPath) {
  let clean;
  try {
    clean = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  let file = path.resolve(root, '.' + clean);
  if (clean.endsWith('/')) file = path.join(file, 'index.html');
  return SERVED.some((dir) => file.startsWith(dir)) ? file : null;
}

/** Starts serving; resolves to { origin, url (the example page), close() }. */
function startServer({ port = 8765, host = '127.0.0.1' } = {}) {
  const server = http.createServer((req, res) => {
    const url = req.url || '/';
    if (url === '/' || url === '/examples/browser') {
      res.writeHead(302, { location: PAGE });
      res.end();
      return;
    }
    const file = resolve(url);
    if (req.method !== 'GET' || !file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      const missingBundle = url.endsWith('recurrent.min.js') ? ' (run `npm run build` first)' : '';
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' });
      res.end(`not found: ${url}${missingBundle}`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const origin = `http://${host}:${server.address().port}`;
      resolvePromise({
        origin,
        url: origin + PAGE,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = { startServer };

if (require.main === module) {
  const bundle = path.join(root, 'packages', 'recurrent', 'dist', 'recurrent.min.js');
  if (!fs.existsSync(bundle)) console.warn(`warning: ${path.relative(root, bundle)} is missing; run \`npm run build\` first.`);
  startServer({ port: Number(process.env.PORT || 8765) })
    .then(({ url }) => console.log(`recurrent browser example: open ${url}   (Ctrl+C to stop)`))
    .catch((e) => {
      console.error(e.code === 'EADDRINUSE' ? `port ${e.port} is in use; try PORT=9000 npm run example:browser` : e);
      process.exit(1);
    });
}
