/**
 * Browser test harness: a static server on 127.0.0.1 (random port) for the test pages, the bundles,
 * tf.min.js and the fixtures; and Debian's chromium driven by playwright-core.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { chromium, BrowserContext, Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const distDir = path.join(repoRoot, 'packages/recurrent/dist');
export const pageDir = __dirname;
export const bundlePath = path.join(distDir, 'recurrent.min.js');

/** URL prefix -> folder served under it (first match wins); nothing outside these is reachable. */
const ROUTES: Array<[string, string]> = [
  ['/recurrent.min.js', path.join(distDir, 'recurrent.min.js')],
  ['/recurrent.min.js.map', path.join(distDir, 'recurrent.min.js.map')],
  ['/recurrent.esm.js', path.join(distDir, 'recurrent.esm.js')],
  ['/recurrent.esm.js.map', path.join(distDir, 'recurrent.esm.js.map')],
  ['/tf.min.js', path.join(repoRoot, 'node_modules/@tensorflow/tfjs/dist/tf.min.js')],
  ['/', pageDir],
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.bin': 'application/octet-stream',
};

function resolveUrl(urlPath: string): string | null {
  const clean = decodeURIComponent(urlPath.split('?')[0]);
  for (const [prefix, target] of ROUTES) {
    if (prefix === '/') {
      const file = path.resolve(target, '.' + (clean === '/' ? '/index.html' : clean));
      return file.startsWith(target + path.sep) ? file : null;
    }
    if (clean === prefix) return target;
  }
  return null;
}

export interface StaticServer {
  origin: string;
  /** Every path requested, in order (to assert e.g. that model.json and weights.bin were fetched). */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the static server on 127.0.0.1 at a free port. */
export async function startServer(): Promise<StaticServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url || '/';
    requests.push(url);
    if (url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = resolveUrl(url);
    if (req.method !== 'GET' || !file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' });
      res.end(`not found: ${url}`);
      return;
    }
    // `?coi=1`: serve the page cross-origin isolated (SharedArrayBuffer, so wasm threads can run).
    const isolation: Record<string, string> = /[?&]coi=1\b/.test(url)
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {};
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
      ...isolation,
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Flags this machine's Chromium needs: headless, no sandbox (root), no network beyond localhost. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The chromium executable: $CHROMIUM_PATH, else `chromium` on PATH; null when there is none. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const file = path.join(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches chromium with a fresh, empty profile directory (removed on close). Playwright takes the
 * profile as launchPersistentContext's argument rather than a --user-data-dir flag.
 */
export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects the page's uncaught errors and console errors ('pageerror: …', 'console.error: …') as they happen. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}
