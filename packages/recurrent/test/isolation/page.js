// Runs in the cross-origin isolation page (index.html). Plain browser JavaScript, no build step. Exposes:
//   window.isolationInfo()          what the page runs with: crossOriginIsolated, SharedArrayBuffer, the backend,
//                                   backendInfo() and getThreadsCount() when the library has them (null otherwise)
//   window.runModels(spec)          predictions and one training step per case, from weights and inputs given by
//                                   the test (so Node can compute the same); returns plain arrays
//   window.runTimings(spec)         bench/browser.js: median ms of predict calls (W1 / W6 shapes)
/* global document, window, performance */
(function () {
  'use strict';
  const lib = window.recurrent;

  function show(text) {
    const out = document.getElementById('out');
    if (out) out.textContent += text + '\n';
  }

  async function isolationInfo() {
    await lib.ready();
    const info = {
      crossOriginIsolated: window.crossOriginIsolated === true,
      sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
      hardwareConcurrency: navigator.hardwareConcurrency || null,
      version: lib.version,
      backend: lib.getBackend(),
      // Worker threads (issue 18) may not be in this build: report them when present.
      backendInfo: typeof lib.backendInfo === 'function' ? lib.backendInfo() : null,
      threads: typeof lib.getThreadsCount === 'function' ? lib.getThreadsCount() : null,
    };
    document.getElementById('isolated').textContent = String(info.crossOriginIsolated);
    show(`info: ${JSON.stringify(info)}`);
    return info;
  }

  /** A Sequential of one recurrent layer (plus a dense head when `classes`), weights set from plain arrays. */
  function build(c) {
    const args = { units: c.units, inputShape: c.shape.slice(1), recurrentActivation: 'sigmoid' };
    if (c.layer === 'gru') args.resetAfter = c.resetAfter;
    const m = lib.sequential();
    m.add(lib.layers[c.layer](args));
    if (c.classes) m.add(lib.layers.dense({ units: c.classes, activation: 'softmax' }));
    m.setWeights(c.weights.map((w) => lib.tensor(Float32Array.from(w.values), w.shape)));
    return m;
  }

  async function runModels(spec) {
    await lib.ready();
    const out = { predict: {}, train: {} };
    for (const c of spec.predict) {
      const m = build(c);
      out.predict[c.name] = Array.from(m.predict(lib.tensor(Float32Array.from(c.x), c.shape)).dataSync());
    }
    for (const c of spec.train) {
      const m = build(c);
      m.compile({ optimizer: lib.train.adam(c.learningRate), loss: 'categoricalCrossentropy' });
      const x = lib.tensor(Float32Array.from(c.x), c.shape);
      const y = lib.tensor(Float32Array.from(c.y), [c.shape[0], c.classes]);
      const losses = [];
      for (let i = 0; i < c.steps; i++) {
        const l = await m.trainOnBatch(x, y);
        losses.push(Array.isArray(l) ? l[0] : l);
      }
      out.train[c.name] = { losses, weights: m.getWeights().map((w) => Array.from(w.dataSync())) };
    }
    show(`runModels: ${Object.keys(out.predict).length} predictions, ${Object.keys(out.train).length} training runs`);
    return out;
  }

  function median(v) {
    const s = v.slice().sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  const timed = new Map(); // case name -> {once}: built once, timed over several calls to runTimings

  /**
   * spec: {cases: [{name, layer, units, shape, calls, runs}]}: per case the median, min and max ms per call over
   * `runs` runs of `calls` predict calls each (the model is built and warmed up on the first request only).
   */
  async function runTimings(spec) {
    await lib.ready();
    const out = {};
    for (const c of spec.cases) {
      if (!timed.has(c.name)) {
        lib.setSeed(1);
        const m = lib.sequential();
        m.add(lib.layers[c.layer]({ units: c.units, inputShape: c.shape.slice(1), recurrentActivation: 'sigmoid' }));
        const x = lib.randomNormal(c.shape, 0, 1, 'float32', 2);
        const once = () => m.predict(x).dataSync();
        once(); // warm-up
        timed.set(c.name, { once });
      }
      const { once } = timed.get(c.name);
      const times = [];
      for (let r = 0; r < c.runs; r++) {
        const t0 = performance.now();
        for (let i = 0; i < c.calls; i++) once();
        times.push((performance.now() - t0) / c.calls);
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the page breathe between runs
      }
      out[c.name] = { median: median(times), min: Math.min(...times), max: Math.max(...times), times };
      show(`${c.name}: ${JSON.stringify(out[c.name])}`);
    }
    return out;
  }

  window.isolationInfo = isolationInfo;
  window.runModels = runModels;
  window.runTimings = runTimings;
})();
