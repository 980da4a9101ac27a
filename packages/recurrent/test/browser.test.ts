/**
 * The bundle in a real browser: Debian's chromium, driven by playwright-core, opens pages from a static
 * server on 127.0.0.1 that load dist/recurrent.min.js by <script src> (test/browser/index.html); the
 * checks in test/browser/checks.js run in the page and report plain numbers, asserted here.
 *
 * - chromium missing: the tests fail, naming the install command (.ci/run installs it); they never skip.
 * - The model workflow (sequential LSTM, fit, predict, localstorage:// and indexeddb:// round trips, a
 *   tfjs-written model.json over http) runs against tfjs's own tf.min.js (which checks the page script,
 *   server and fixture) and against recurrent's bundle.
 * Set BROWSER_TEST_SCREENSHOT=/tmp/dir to save a screenshot of each page.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import {
  bundlePath,
  collectPageErrors,
  findChromium,
  launchChromium,
  LaunchedBrowser,
  pageDir,
  startServer,
  StaticServer,
} from './browser/harness';

const chromiumPath = findChromium();
const bundleBuilt = fs.existsSync(bundlePath);
const version: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')).version;
const fixtureExpected = JSON.parse(fs.readFileSync(path.join(pageDir, 'fixtures/lstm/expected.json'), 'utf8'));
const screenshotDir = process.env.BROWSER_TEST_SCREENSHOT;

const TIMEOUT = 90_000;

function expectClose(actual: number[], expected: number[], tol: number, what: string): void {
  expect([what, actual.length]).toEqual([what, expected.length]);
  const worst = actual.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
  if (!(worst <= tol)) throw new Error(`${what}: max |difference| ${worst} > ${tol}\n got ${actual}\n expected ${expected}`);
}

{
  describe('recurrent.min.js in Chromium', () => {
    let server: StaticServer | undefined;
    let browser: LaunchedBrowser | undefined;

    beforeAll(async () => {
      if (!chromiumPath) {
        throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run installs it as root), or set CHROMIUM_PATH.');
      }
      if (!bundleBuilt) throw new Error(`${bundlePath} is missing: run \`npm run build\` first (npm test does).`);
      server = await startServer();
      browser = await launchChromium(chromiumPath);
    }, TIMEOUT);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    }, TIMEOUT);

    /** Opens a page of test/browser, collecting uncaught errors and console errors. */
    async function open(file: string): Promise<{ page: Page; errors: string[] }> {
      const page = await browser!.context.newPage();
      const errors = collectPageErrors(page);
      const response = await page.goto(`${server!.origin}/${file}`, { waitUntil: 'load' });
      expect(response && response.status()).toBe(200);
      return { page, errors };
    }

    async function finish(page: Page, name: string, errors: string[]): Promise<void> {
      if (screenshotDir) {
        fs.mkdirSync(screenshotDir, { recursive: true });
        await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
      }
      await page.close();
      expect(errors).toEqual([]);
    }

    /** What the model check must report, for recurrent and for the tfjs reference alike. */
    function assertModelReport(r: Record<string, any>): void {
      expect(r.predictShape).toEqual([16, 1]);
      expect(r.losses).toHaveLength(8);
      for (const l of r.losses) expect(Number.isFinite(l)).toBe(true);
      expect(r.losses[7]).toBeLessThan(r.losses[0]);
      expect(r.predict).toHaveLength(16);
      for (const p of r.predict) expect(Number.isFinite(p)).toBe(true);
      expect(r.evaluate).toHaveLength(1);
      expect(r.localStorageEntries).toBeGreaterThan(0);
      expectClose(r.predictLocalStorage, r.predict, 1e-6, 'predictions after localstorage:// save/load');
      expectClose(r.predictIndexedDB, r.predict, 1e-6, 'predictions after indexeddb:// save/load');
      expectClose(r.predictHttp, fixtureExpected.output, 1e-5, 'predictions of the tfjs-saved model.json loaded over http');
      expect(server!.requests).toEqual(expect.arrayContaining(['/fixtures/lstm/model.json', '/fixtures/lstm/weights.bin']));
    }

    test(
      'the global `recurrent`: tensors, ops, both backends and gradients, against hand-computed numbers',
      async () => {
        const { page, errors } = await open('index.html');
        expect(await page.evaluate(() => typeof (window as any).recurrent)).toBe('object');
        const r = await page.evaluate(() => (window as any).runCheck('ops'));

        expect(r.version).toBe(version);
        expect(r.exportCount).toBeGreaterThan(100);
        expect(r.backend).toBe('wasm'); // Chromium has WebAssembly SIMD: the embedded module must load
        expect(r.shape).toEqual([2, 2]);
        expect(r.matMul).toEqual([
          [19, 22],
          [43, 50],
        ]);
        expect(r.addMul).toEqual([
          [12, 16],
          [20, 24],
        ]);
        expect(r.sum).toBe(10);
        expect(r.mean0).toEqual([2, 3]);
        expect(r.transpose).toEqual([
          [1, 3],
          [2, 4],
        ]);
        expect(r.sigmoid0).toBe(0.5);
        expectClose(r.tanhLn2, [0, 0.6], 1e-6, 'tanh([0, ln 2])'); // tanh(ln 2) = (4 - 1) / (4 + 1)
        expectClose(r.softmax, [0.25, 0.75], 1e-6, 'softmax([0, ln 3])');
        // d/dx sum(x*x) = 2x; d/dx sigmoid = s(1 - s): 1/4 at 0, 3/4 * 1/4 at ln 3.
        expectClose(r.gradSquare, [2, 4, 6], 0, 'grad of sum(x*x)');
        expectClose(r.gradSigmoid, [0.25, 0.1875], 1e-6, 'grad of sum(sigmoid(x))');
        // d/dW sum(x W) = x^T 1 for x = [[1, 2]].
        expect(r.gradMatMul).toEqual([
          [1, 1, 1],
          [2, 2, 2],
        ]);
        expect(r.valueAndGradTanh.value).toBe(0);
        expectClose(r.valueAndGradTanh.grad, [1], 1e-6, "tanh'(0)");
        // A 67x45 by 45x38 gemm on each backend against a float64 triple loop in the page.
        expect(r.gemm.js.active).toBe('js');
        expect(r.gemm.js.maxAbsDiff).toBeLessThan(1e-4);
        expect(r.gemm.wasm.active).toBe('wasm');
        expect(r.gemm.wasm.maxAbsDiff).toBeLessThan(1e-4);

        expect(server!.requests).toContain('/recurrent.min.js');
        await finish(page, 'ops', errors);
      },
      TIMEOUT,
    );

    test(
      'recurrent.esm.js loads on its own under <script type="module">',
      async () => {
        const { page, errors } = await open('esm.html');
        await page.waitForFunction(() => (window as any).esmReport !== undefined, undefined, { timeout: 30_000 });
        const r = await page.evaluate(() => (window as any).esmReport);
        expect(r.version).toBe(version);
        expect(r.exportCount).toBeGreaterThan(100);
        expect(r.dot).toEqual([[11]]);
        await finish(page, 'esm', errors);
      },
      TIMEOUT,
    );

    test(
      "reference run: the model steps of the page pass with tfjs's own tf.min.js (checks page, server, fixture)",
      async () => {
        const { page, errors } = await open('tfjs.html');
        const r = await page.evaluate(() => (window as any).runCheck('model', { key: 'tfjs-reference' }));
        assertModelReport(r);
        await finish(page, 'model-tfjs', errors);
      },
      TIMEOUT,
    );

    test(
      'model in the browser: sequential LSTM, fit, predict, save/load via localstorage:// and indexeddb://, model.json over http',
      async () => {
        const { page, errors } = await open('index.html');
        const r = await page.evaluate(() => (window as any).runCheck('model'));
        assertModelReport(r);
        await finish(page, 'model-recurrent', errors);
      },
      TIMEOUT,
    );
  });
}
