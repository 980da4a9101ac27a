/**
 * The browser example (examples/browser/) in headless Chromium: examples/serve.js serves it exactly
 * as `npm run example:browser` does, the page trains a small LSTM with recurrent.min.js, shows the
 * loss per epoch and saves to localstorage://browser-example. Asserts the page's report
 * (window.exampleResult), what is in localStorage, and saves a screenshot
 * (EXAMPLES_SCREENSHOT, default /tmp/recurrent-browser-example.png).
 * Chromium: the helpers of test/browser/harness.ts (skips locally when missing, fails under CI).
 */
import * as fs from 'fs';
import * as path from 'path';
import { bundlePath, collectPageErrors, findChromium, launchChromium, LaunchedBrowser, repoRoot } from './browser/harness';

interface ExampleServer {
  origin: string;
  url: string;
  close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startServer } = require(path.join(repoRoot, 'examples/serve.js')) as {
  startServer(opts: { port: number }): Promise<ExampleServer>;
};

const chromiumPath = findChromium();
const screenshot = process.env.EXAMPLES_SCREENSHOT || '/tmp/recurrent-browser-example.png';
const TIMEOUT = 120_000;

{
  describe('examples/browser in Chromium', () => {
    let server: ExampleServer | undefined;
    let browser: LaunchedBrowser | undefined;

    beforeAll(async () => {
      if (!chromiumPath)
        throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run installs it as root), or set CHROMIUM_PATH.');
      if (!fs.existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run \`npm run build\` first (npm test does).`);
      server = await startServer({ port: 0 });
      browser = await launchChromium(chromiumPath);
    }, TIMEOUT);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    }, TIMEOUT);

    test(
      'trains an LSTM in the page with a live loss curve, then saves it to localStorage and loads it back',
      async () => {
        const page = await browser!.context.newPage();
        const errors = collectPageErrors(page);
        // The server redirects / to the example, as the URL `npm run example:browser` prints.
        const response = await page.goto(`${server!.origin}/`, { waitUntil: 'load' });
        expect(response && response.status()).toBe(200);
        expect(page.url()).toBe(server!.url);

        // Progress is live: the status shows an epoch before training ends.
        await page.waitForFunction(() => /epoch [1-9]/.test(document.getElementById('status')!.textContent || ''), undefined, {
          timeout: 60_000,
        });
        await page.waitForFunction(() => (window as any).exampleResult?.done === true, undefined, { timeout: 100_000 });
        const r = await page.evaluate(() => (window as any).exampleResult);
        const status = await page.textContent('#status');
        const points = await page.getAttribute('#chart polyline.loss', 'points');
        const stored = await page.evaluate(() =>
          Object.keys(localStorage)
            .filter((k) => k.startsWith('tensorflowjs_models/browser-example/'))
            .sort(),
        );
        fs.mkdirSync(path.dirname(screenshot), { recursive: true });
        await page.screenshot({ path: screenshot, fullPage: true });
        await page.close();

        expect(r.losses).toHaveLength(30);
        for (const l of r.losses) expect(Number.isFinite(l)).toBe(true);
        expect(r.finalLoss).toBeLessThan(r.firstLoss);
        expect(r.finalLoss).toBeLessThan(0.4);
        expect(r.testAccuracy).toBeGreaterThan(0.85);
        expect((points || '').trim().split(/\s+/)).toHaveLength(30); // one chart point per epoch
        expect(r.error).toBeUndefined();
        expect(errors).toEqual([]);
        expect(status).toMatch(/^done — final loss \d\.\d{4}/);
        // tfjs's localStorage layout: tensorflowjs_models/<path>/{info, model_metadata, model_topology, weight_data, weight_specs}
        expect(stored).toEqual(
          expect.arrayContaining(['tensorflowjs_models/browser-example/model_topology', 'tensorflowjs_models/browser-example/weight_data']),
        );
        expect(r.reloadMaxDiff).toBeLessThanOrEqual(1e-6);
      },
      TIMEOUT,
    );
  });
}
