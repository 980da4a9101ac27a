/**
 * The bundle on a cross-origin isolated page and on a plain one: test/isolation/server.js serves the same page
 * (index.html + page.js + dist/recurrent.min.js) once with COOP `same-origin` + COEP `require-corp` and once
 * without; Debian's chromium (playwright-core, helpers of test/browser/harness.ts) opens both. Asserts that
 * `crossOriginIsolated` (and SharedArrayBuffer) is true on the first and false on the second, and that LSTM/GRU
 * predictions and three training steps (adam) give the same numbers on both pages and in Node (the same bundle,
 * same weights and inputs, given by this test), so whatever the isolated page enables (SharedArrayBuffer, worker
 * threads) computes what the plain page computes.
 */
import * as fs from 'fs';
import type { Page } from 'playwright-core';
import { bundlePath, collectPageErrors, findChromium, launchChromium, LaunchedBrowser } from './browser/harness';

interface IsolationServer {
  origin: string;
  url: string;
  isolated: boolean;
  requests: string[];
  close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startIsolationServer } = require('./isolation/server.js') as {
  startIsolationServer(opts: { isolated: boolean }): Promise<IsolationServer>;
};

const chromiumPath = findChromium();
const TIMEOUT = 120_000;

interface WeightSpec {
  shape: number[];
  values: number[];
}
interface ModelCase {
  name: string;
  layer: 'lstm' | 'gru';
  units: number;
  resetAfter?: boolean;
  shape: number[];
  weights: WeightSpec[];
  x: number[];
  classes?: number;
  y?: number[];
  learningRate?: number;
  steps?: number;
}
interface Spec {
  predict: ModelCase[];
  train: ModelCase[];
}
interface ModelsReport {
  predict: Record<string, number[]>;
  train: Record<string, { losses: number[]; weights: number[][] }>;
}
interface PageInfo {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  backend: string;
  version: string;
  backendInfo: unknown;
  threads: number | null;
}

/** Deterministic values in [-scale, scale) (a 32-bit LCG), so Node and both pages get the same numbers. */
function lcg(n: number, seed: number, scale: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(Math.fround(((s / 2 ** 32) * 2 - 1) * scale));
  }
  return out;
}

const lib = (): any => require(bundlePath);

/** Builds a case's model with the library `rc` (Node, or the page's by the same rules in page.js). */
function build(rc: any, c: ModelCase): any {
  const args: Record<string, unknown> = { units: c.units, inputShape: c.shape.slice(1), recurrentActivation: 'sigmoid' };
  if (c.layer === 'gru') args.resetAfter = c.resetAfter;
  const m = rc.sequential();
  m.add(rc.layers[c.layer](args));
  if (c.classes) m.add(rc.layers.dense({ units: c.classes, activation: 'softmax' }));
  return m;
}

/** A case with weights of the shapes the model has, filled from the LCG. */
function makeCase(rc: any, c: Omit<ModelCase, 'weights' | 'x' | 'y'>, seed: number): ModelCase {
  const shapes: number[][] = build(rc, { ...c, weights: [], x: [] })
    .getWeights()
    .map((w: any) => w.shape);
  const weights = shapes.map((shape, k) => ({
    shape,
    values: lcg(
      shape.reduce((a, b) => a * b, 1),
      seed * 31 + k,
      0.4,
    ),
  }));
  const x = lcg(
    c.shape.reduce((a, b) => a * b, 1),
    seed * 97 + 7,
    1,
  );
  const out: ModelCase = { ...c, weights, x };
  if (c.classes) {
    const y = new Array(c.shape[0] * c.classes).fill(0);
    for (let b = 0; b < c.shape[0]; b++) y[b * c.classes + ((b * 7 + seed) % c.classes)] = 1;
    out.y = y;
  }
  return out;
}

function makeSpec(rc: any): Spec {
  return {
    predict: [
      makeCase(rc, { name: 'lstm(16) [3,7,5]', layer: 'lstm', units: 16, shape: [3, 7, 5] }, 1),
      makeCase(rc, { name: 'gru(16) resetAfter [3,7,5]', layer: 'gru', units: 16, resetAfter: true, shape: [3, 7, 5] }, 2),
      makeCase(rc, { name: 'gru(16) [3,7,5]', layer: 'gru', units: 16, resetAfter: false, shape: [3, 7, 5] }, 3),
      // Large enough for a kernel to split work (batch rows, gate columns) where it can.
      makeCase(rc, { name: 'lstm(128) [16,30,32]', layer: 'lstm', units: 128, shape: [16, 30, 32] }, 4),
      makeCase(rc, { name: 'gru(128) resetAfter [16,30,32]', layer: 'gru', units: 128, resetAfter: true, shape: [16, 30, 32] }, 5),
    ],
    train: [
      makeCase(
        rc,
        { name: 'lstm(12)+dense(3) adam', layer: 'lstm', units: 12, shape: [4, 6, 5], classes: 3, learningRate: 0.01, steps: 3 },
        6,
      ),
      makeCase(
        rc,
        {
          name: 'gru(12)+dense(3) adam',
          layer: 'gru',
          units: 12,
          resetAfter: true,
          shape: [4, 6, 5],
          classes: 3,
          learningRate: 0.01,
          steps: 3,
        },
        7,
      ),
    ],
  };
}

/** What page.js's runModels computes, computed in Node with the same bundle. */
async function runInNode(rc: any, spec: Spec): Promise<ModelsReport> {
  const out: ModelsReport = { predict: {}, train: {} };
  const withWeights = (c: ModelCase): any => {
    const m = build(rc, c);
    m.setWeights(c.weights.map((w) => rc.tensor(Float32Array.from(w.values), w.shape)));
    return m;
  };
  for (const c of spec.predict) {
    out.predict[c.name] = Array.from(
      withWeights(c)
        .predict(rc.tensor(Float32Array.from(c.x), c.shape))
        .dataSync() as Float32Array,
    );
  }
  for (const c of spec.train) {
    const m = withWeights(c);
    m.compile({ optimizer: rc.train.adam(c.learningRate), loss: 'categoricalCrossentropy' });
    const x = rc.tensor(Float32Array.from(c.x), c.shape);
    const y = rc.tensor(Float32Array.from(c.y!), [c.shape[0], c.classes]);
    const losses: number[] = [];
    for (let i = 0; i < c.steps!; i++) {
      const l = await m.trainOnBatch(x, y);
      losses.push(Array.isArray(l) ? l[0] : l);
    }
    out.train[c.name] = { losses, weights: m.getWeights().map((w: any) => Array.from(w.dataSync() as Float32Array)) };
  }
  return out;
}

function maxDiff(a: number[], b: number[], what: string): number {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} values vs ${b.length}`);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

/** Every number of `a` within `tol` of `b`'s (the report names the first case that is not). */
function expectReportsClose(a: ModelsReport, b: ModelsReport, tol: number, what: string): void {
  expect(Object.keys(a.predict).sort()).toEqual(Object.keys(b.predict).sort());
  expect(Object.keys(a.train).sort()).toEqual(Object.keys(b.train).sort());
  const worst: Array<[string, number]> = [];
  for (const k of Object.keys(b.predict)) worst.push([`${what}: predict ${k}`, maxDiff(a.predict[k], b.predict[k], k)]);
  for (const k of Object.keys(b.train)) {
    worst.push([`${what}: ${k} losses`, maxDiff(a.train[k].losses, b.train[k].losses, k)]);
    expect(a.train[k].weights.length).toBe(b.train[k].weights.length);
    b.train[k].weights.forEach((w, i) => worst.push([`${what}: ${k} weight ${i} after training`, maxDiff(a.train[k].weights[i], w, k)]));
  }
  const bad = worst.filter(([, d]) => !(d <= tol));
  expect(bad).toEqual([]);
}

{
  describe('recurrent.min.js on a cross-origin isolated page and on a plain page', () => {
    let isolatedServer: IsolationServer | undefined;
    let plainServer: IsolationServer | undefined;
    let browser: LaunchedBrowser | undefined;
    let spec: Spec;
    let nodeReport: ModelsReport;

    beforeAll(async () => {
      if (!chromiumPath)
        throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run installs it as root), or set CHROMIUM_PATH.');
      if (!fs.existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run \`npm run build\` first (npm test does).`);
      const rc = lib();
      await rc.ready();
      spec = makeSpec(rc);
      nodeReport = await runInNode(rc, spec);
      isolatedServer = await startIsolationServer({ isolated: true });
      plainServer = await startIsolationServer({ isolated: false });
      browser = await launchChromium(chromiumPath);
    }, TIMEOUT);

    afterAll(async () => {
      await browser?.close();
      await isolatedServer?.close();
      await plainServer?.close();
    }, TIMEOUT);

    async function visit(server: IsolationServer): Promise<{ info: PageInfo; report: ModelsReport; headers: Record<string, string> }> {
      const page: Page = await browser!.context.newPage();
      const errors = collectPageErrors(page);
      const response = await page.goto(server.url, { waitUntil: 'load' });
      expect(response && response.status()).toBe(200);
      const headers = response!.headers();
      const info = (await page.evaluate(() => (window as any).isolationInfo())) as PageInfo;
      const report = (await page.evaluate((s) => (window as any).runModels(s), spec)) as ModelsReport;
      await page.close();
      expect(errors).toEqual([]);
      expect(server.requests).toEqual(expect.arrayContaining(['/', '/recurrent.min.js', '/page.js']));
      return { info, report, headers };
    }

    test(
      'isolated: crossOriginIsolated true; plain: false; predictions and training steps equal on both pages and in Node',
      async () => {
        const isolated = await visit(isolatedServer!);
        const plain = await visit(plainServer!);

        // The servers sent (or did not send) the headers, and Chromium honoured them.
        expect(isolated.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(isolated.headers['cross-origin-embedder-policy']).toBe('require-corp');
        expect(plain.headers['cross-origin-opener-policy']).toBeUndefined();
        expect(plain.headers['cross-origin-embedder-policy']).toBeUndefined();
        expect([isolated.info.crossOriginIsolated, isolated.info.sharedArrayBuffer]).toEqual([true, true]);
        expect([plain.info.crossOriginIsolated, plain.info.sharedArrayBuffer]).toEqual([false, false]);
        for (const p of [isolated, plain]) {
          expect(p.info.backend).toBe('wasm');
          expect(p.info.version).toBe(lib().version);
        }

        // Worker threads (issue 18): on the isolated page the kernels run on min(cores, 4) threads sharing one
        // memory; on the plain page one thread, and backendInfo() says why.
        const cores = (isolated.info as PageInfo & { hardwareConcurrency: number | null }).hardwareConcurrency ?? 1;
        const isoInfo = isolated.info.backendInfo as { threads: number; threadsReason: string };
        const plainInfo = plain.info.backendInfo as { threads: number; threadsReason: string };
        expect(isolated.info.threads).toBe(Math.min(Math.max(cores, 1), 4));
        expect(isoInfo.threads).toBe(isolated.info.threads);
        if (cores > 1) expect(isoInfo.threadsReason).toBe('');
        expect(plain.info.threads).toBe(1);
        expect(plainInfo.threads).toBe(1);
        expect(plainInfo.threadsReason).toMatch(
          /not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
        );

        // Same numbers everywhere. Between the two pages 1e-6 rather than exact equality, so that threads that
        // split a sum differently on the isolated page would still pass; Node within 1e-5.
        expectReportsClose(isolated.report, plain.report, 1e-6, 'isolated vs plain page');
        expectReportsClose(isolated.report, nodeReport, 1e-5, 'isolated page vs Node');
        expectReportsClose(plain.report, nodeReport, 1e-5, 'plain page vs Node');

        // The training steps did something: finite, decreasing losses, and weights that moved.
        for (const c of spec.train) {
          const r = plain.report.train[c.name];
          expect(r.losses.every(Number.isFinite)).toBe(true);
          expect(r.losses[2]).toBeLessThan(r.losses[0]);
          expect(maxDiff(r.weights[0], c.weights[0].values, c.name)).toBeGreaterThan(1e-3);
        }
      },
      TIMEOUT,
    );
  });
}
