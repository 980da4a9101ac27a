// Checks that run inside the test page. Each takes the library object (window.recurrent, or window.tf
// for the reference run) and resolves to a plain JSON report; browser.test.ts asserts the numbers.
// Plain browser JavaScript (no build step): keep it to what Chromium runs as is.
/* global document, window, location, fetch */
(function () {
  'use strict';

  const log = [];
  function show(text, state) {
    const out = document.getElementById('out');
    log.push(text);
    if (out) out.textContent = log.join('\n');
    const status = document.getElementById('status');
    if (status && state) {
      status.textContent = state;
      status.className = state === 'failed' ? 'fail' : 'ok';
    }
  }

  /** Runs one named check, shows its report (or error) on the page, and returns it to the test. */
  async function run(name, fn, ...args) {
    show(`> ${name} ...`, 'running');
    try {
      await window.libraryReady;
      const report = await fn(window.checkLibrary, ...args);
      const lines = Object.entries(report).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
      show(`${name}:\n${lines.join('\n')}`, 'passed (page side)');
      return report;
    } catch (e) {
      show(`${name} FAILED: ${e && e.stack ? e.stack : e}`, 'failed');
      throw e;
    }
  }

  const toArray = (t) => Array.from(t.dataSync());

  /** Tensors, ops, the backends and gradients; every number is hand-computable (see browser.test.ts). */
  async function ops(lib) {
    const r = {};
    r.version = lib.version;
    r.exportCount = Object.keys(lib).length;
    await lib.ready();
    r.backend = lib.getBackend();

    const a = lib.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = lib.tensor2d([
      [5, 6],
      [7, 8],
    ]);
    r.shape = a.shape;
    r.matMul = lib.matMul(a, b).arraySync();
    r.addMul = a.add(b).mul(2).arraySync();
    r.sum = lib.sum(a).arraySync();
    r.mean0 = lib.mean(a, 0).arraySync();
    r.transpose = lib.transpose(a).arraySync();
    r.sigmoid0 = lib.sigmoid(lib.scalar(0)).arraySync();
    r.tanhLn2 = toArray(lib.tanh(lib.tensor1d([0, Math.log(2)])));
    r.softmax = toArray(lib.softmax(lib.tensor1d([0, Math.log(3)])));

    // Gradients.
    r.gradSquare = toArray(lib.grad((x) => lib.sum(lib.mul(x, x)))(lib.tensor1d([1, 2, 3])));
    r.gradSigmoid = toArray(lib.grad((x) => lib.sum(lib.sigmoid(x)))(lib.tensor1d([0, Math.log(3)])));
    const x = lib.tensor2d([[1, 2]]);
    r.gradMatMul = lib
      .grad((w) => lib.sum(lib.matMul(x, w)))(lib.zeros([2, 3]))
      .arraySync();
    const vg = lib.valueAndGrad((v) => lib.sum(lib.tanh(v)))(lib.tensor1d([0]));
    r.valueAndGradTanh = { value: vg.value.arraySync(), grad: toArray(vg.grad) };

    // A gemm big enough for the blocked kernels, on both backends, against a plain triple loop.
    const M = 67,
      K = 45,
      N = 38;
    const av = new Float32Array(M * K).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
    const bv = new Float32Array(K * N).map((_, i) => ((i * 5) % 11) / 11 - 0.5);
    const ref = new Float64Array(M * N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += av[i * K + k] * bv[k * N + j];
        ref[i * N + j] = s;
      }
    }
    const maxDiff = (vals) => vals.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i])), 0);
    r.gemm = {};
    for (const backend of ['js', 'wasm']) {
      try {
        await lib.setBackend(backend);
        r.gemm[backend] = {
          active: lib.getBackend(),
          maxAbsDiff: maxDiff(lib.matMul(lib.tensor2d(av, [M, K]), lib.tensor2d(bv, [K, N])).dataSync()),
        };
      } catch (e) {
        r.gemm[backend] = { error: String(e && e.message ? e.message : e) };
      }
    }
    return r;
  }

  /**
   * The model workflow: sequential LSTM, fit, predict, save to localstorage:// and indexeddb://, load
   * both back, and load a tfjs-written model.json over http from the test server. Uses the tfjs API
   * (which recurrent mirrors), so it also runs against tf.min.js as a reference.
   */
  async function model(lib, { key = 'recurrent-browser-test', fixture = '/fixtures/lstm' } = {}) {
    const load = (url) => (lib.loadLayersModel ? lib.loadLayersModel(url) : lib.loadModel(url));
    const r = {};

    // 16 sequences of 5 steps, 1 feature; the target is the sequence mean.
    const N = 16,
      T = 5;
    const xv = [];
    const yv = [];
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let t = 0; t < T; t++) {
        const v = Math.sin(0.7 * n + 0.9 * t);
        xv.push(v);
        s += v;
      }
      yv.push(s / T);
    }
    const xs = lib.tensor3d(xv, [N, T, 1]);
    const ys = lib.tensor2d(yv, [N, 1]);

    // Each step is named, so a failure says where it stopped and what the earlier steps reported.
    let step = 'build';
    try {
      const m = lib.sequential();
      m.add(lib.layers.lstm({ units: 8, inputShape: [T, 1] }));
      m.add(lib.layers.dense({ units: 1 }));
      step = 'compile';
      m.compile({ optimizer: lib.train.adam(0.05), loss: 'meanSquaredError' });
      step = 'fit';
      const history = await m.fit(xs, ys, { epochs: 8, batchSize: 8, shuffle: false, verbose: 0 });
      r.losses = history.history.loss.map(Number);
      step = 'predict';
      const predicted = m.predict(xs);
      r.predictShape = predicted.shape;
      r.predict = toArray(predicted);
      step = 'evaluate';
      const evaluated = m.evaluate(xs, ys);
      r.evaluate = toArray(Array.isArray(evaluated) ? evaluated[0] : evaluated);

      step = 'save localstorage://';
      await m.save(`localstorage://${key}`);
      r.localStorageEntries = Object.keys(window.localStorage).length;
      step = 'load localstorage://';
      r.predictLocalStorage = toArray((await load(`localstorage://${key}`)).predict(xs));

      step = 'save indexeddb://';
      await m.save(`indexeddb://${key}`);
      step = 'load indexeddb://';
      r.predictIndexedDB = toArray((await load(`indexeddb://${key}`)).predict(xs));

      // A model saved by tfjs (scripts/make-browser-fixture.js), fetched over http: model.json + weights.bin.
      step = 'load http:// (tfjs-saved model.json)';
      const expected = await (await fetch(`${fixture}/expected.json`)).json();
      const fromHttp = await load(`${location.origin}${fixture}/model.json`);
      r.predictHttp = toArray(fromHttp.predict(lib.tensor3d(expected.input, expected.inputShape)));
    } catch (e) {
      throw new Error(`model check failed at step '${step}': ${e && e.message ? e.message : e}\n` + `report so far: ${JSON.stringify(r)}`);
    }
    return r;
  }

  window.browserChecks = { ops, model };
  window.runCheck = (name, ...args) => run(name, window.browserChecks[name], ...args);
  window.showLoaded = (globalName) =>
    show(
      `loaded: window.${globalName} is ${typeof window[globalName]}` +
        (window[globalName] ? ` with ${Object.keys(window[globalName]).length} exports` : ''),
    );
})();
