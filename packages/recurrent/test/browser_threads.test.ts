/**
 * Wasm threads in Chromium (recurrent.min.js): on a cross-origin isolated page (COOP same-origin + COEP
 * require-corp) the kernels run on 2 threads with the same numbers as on 1; on a plain page they run on one
 * thread and backendInfo() says why. Needs the build (npm test builds) and chromium, as browser.test.ts.
 */
import * as fs from 'fs';
import { bundlePath, collectPageErrors, findChromium, launchChromium, LaunchedBrowser, startServer, StaticServer } from './browser/harness';

const chromiumPath = findChromium();
const TIMEOUT = 90_000;

describe('wasm threads in Chromium', () => {
  let server: StaticServer | undefined;
  let browser: LaunchedBrowser | undefined;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('chromium is not installed: apt-get install -y chromium, or set CHROMIUM_PATH.');
    if (!fs.existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run \`npm run build\` first (npm test does).`);
    server = await startServer();
    browser = await launchChromium(chromiumPath);
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, TIMEOUT);

  async function report(query: string): Promise<{ errors: string[]; r: Record<string, any> }> {
    const page = await browser!.context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server!.origin}/threads.html${query}`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).threadsReport !== undefined, undefined, { timeout: 60_000 });
    const r = await page.evaluate(() => (window as any).threadsReport);
    await page.close();
    return { errors, r };
  }

  test(
    'a cross-origin isolated page runs the kernels on 2 threads, bit-identical to 1',
    async () => {
      const { errors, r } = await report('?coi=1');
      expect(errors).toEqual([]);
      expect(r.error).toBeUndefined();
      expect(r.isolated).toBe(true);
      expect(r.info).toMatchObject({ backend: 'wasm', simd: true, threads: 2, threadsRequested: 2, threadsReason: '' });
      expect(r.threadsAfterSetOne).toBe(1);
      expect(r.identical).toBe(true);
      expect(r.finite).toBe(true);
    },
    TIMEOUT,
  );

  test(
    'a page without isolation runs on one thread and says why',
    async () => {
      const { errors, r } = await report('');
      expect(errors).toEqual([]);
      expect(r.error).toBeUndefined();
      expect(r.isolated).toBe(false);
      expect(r.info.threads).toBe(1);
      expect(r.info.threadsReason).toMatch(
        /not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
      );
      expect(r.identical).toBe(true);
    },
    TIMEOUT,
  );
});
