// The browser example's script (plain browser JavaScript, no build step): trains a small LSTM with
// the global `recurrent` from recurrent.min.js, shows epoch/loss live and draws the loss curve as
// inline SVG, evaluates on held-out data, then saves the model to localstorage://browser-example
// and loads it back. The outcome is also left on window.exampleResult (the browser test reads it).
/* global document, window, localStorage */
(function () {
  'use strict';
  const rc = window.recurrent;
  const T = 10;
  const EPOCHS = 30;
  const SAVE_URL = 'localstorage://browser-example';

  const $ = (id) => document.getElementById(id);
  const result = { done: false, losses: [], accuracies: [] };
  window.exampleResult = result;

  function setStatus(text, cls) {
    $('status').textContent = text;
    $('status').className = cls || '';
  }
  function addResult(html) {
    const li = document.createElement('li');
    li.innerHTML = html;
    $('results').appendChild(li);
  }
  /** Lets the browser paint before training goes on. */
  const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

  /**
   * n sequences [n, T, 2]: each step is [a uniform number in [-1, 1], 1 on the first step else 0];
   * labels [n, 1]: was the first number positive.
   */
  function makeData(n, seed) {
    const g = new rc.RandomGenerator(seed);
    const x = new Float32Array(n * T * 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) {
        x[(i * T + t) * 2] = g.uniform(-1, 1);
        x[(i * T + t) * 2 + 1] = t === 0 ? 1 : 0;
      }
      y[i] = x[i * T * 2] > 0 ? 1 : 0;
    }
    return { x: rc.tensor(x, [n, T, 2]), y: rc.tensor(y, [n, 1]) };
  }

  /** Redraws the chart: loss (left axis, blue) and accuracy (right axis 0-1, orange dashed) per epoch. */
  function draw(losses, accs) {
    const svg = $('chart');
    const W = 720,
      H = 280,
      L = 50,
      R = 50,
      TOP = 20,
      B = 36;
    const maxLoss = Math.max(0.8, ...losses);
    const x = (e) => L + ((W - L - R) * e) / Math.max(1, EPOCHS - 1);
    const yLoss = (v) => TOP + (H - TOP - B) * (1 - v / maxLoss);
    const yAcc = (v) => TOP + (H - TOP - B) * (1 - v);
    let s = '';
    for (let k = 0; k <= 4; k++) {
      const v = (maxLoss * k) / 4;
      s += `<line class="grid" x1="${L}" x2="${W - R}" y1="${yLoss(v)}" y2="${yLoss(v)}"/>`;
      s += `<text x="${L - 6}" y="${yLoss(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`;
      s += `<text x="${W - R + 6}" y="${yAcc(k / 4) + 4}">${(k / 4).toFixed(2)}</text>`;
    }
    for (let e = 0; e < EPOCHS; e += 4) s += `<text x="${x(e)}" y="${H - B + 16}" text-anchor="middle">${e + 1}</text>`;
    s += `<line class="axis" x1="${L}" x2="${L}" y1="${TOP}" y2="${H - B}"/>`;
    s += `<line class="axis" x1="${W - R}" x2="${W - R}" y1="${TOP}" y2="${H - B}"/>`;
    s += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`;
    s += `<text x="${(L + W - R) / 2}" y="${H - 4}" text-anchor="middle">epoch</text>`;
    s += `<text x="${L}" y="12" text-anchor="middle" style="fill:#1f6feb">loss</text>`;
    s += `<text x="${W - R}" y="12" text-anchor="middle" style="fill:#d97706">accuracy</text>`;
    if (losses.length) {
      s += `<polyline class="loss" points="${losses.map((v, e) => `${x(e)},${yLoss(v)}`).join(' ')}"/>`;
      s += `<polyline class="acc" points="${accs.map((v, e) => `${x(e)},${yAcc(v)}`).join(' ')}"/>`;
      const e = losses.length - 1;
      s += `<circle cx="${x(e)}" cy="${yLoss(losses[e])}" r="3.5" fill="#1f6feb"/>`;
    }
    svg.innerHTML = s;
  }

  async function main() {
    await rc.ready();
    $('backend').textContent = rc.getBackend();
    rc.setSeed(1);
    const trainSet = makeData(1024, 1);
    const testSet = makeData(256, 2);

    const model = rc.sequential();
    model.add(rc.layers.lstm({ units: 16, inputShape: [T, 2] }));
    model.add(rc.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: rc.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    draw([], []);
    setStatus(`training: epoch 0 / ${EPOCHS}`);

    const start = performance.now();
    await model.fit(trainSet.x, trainSet.y, {
      epochs: EPOCHS,
      batchSize: 32,
      seed: 7,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          result.losses.push(logs.loss);
          result.accuracies.push(logs.acc);
          $('progress').value = (epoch + 1) / EPOCHS;
          setStatus(`training: epoch ${epoch + 1} / ${EPOCHS} — loss ${logs.loss.toFixed(4)} — accuracy ${logs.acc.toFixed(3)}`);
          draw(result.losses, result.accuracies);
          await nextFrame();
        },
      },
    });
    result.seconds = (performance.now() - start) / 1000;
    result.firstLoss = result.losses[0];
    result.finalLoss = result.losses[result.losses.length - 1];

    const [, acc] = model.evaluate(testSet.x, testSet.y);
    result.testAccuracy = acc.dataSync()[0];
    addResult(
      `trained ${EPOCHS} epochs in ${result.seconds.toFixed(1)} s: loss ${result.firstLoss.toFixed(4)} → <b>${result.finalLoss.toFixed(4)}</b>`,
    );
    addResult(`held-out accuracy: <b>${result.testAccuracy.toFixed(3)}</b> (256 new sequences)`);

    // Save to localStorage (tfjs's key layout), then load it back and compare predictions.
    if (typeof model.save !== 'function' || typeof rc.loadLayersModel !== 'function') {
      throw new Error('this build of recurrent has no model.save / loadLayersModel');
    }
    const saved = await model.save(SAVE_URL);
    result.localStorageKeys = Object.keys(localStorage).filter((k) => k.startsWith('tensorflowjs_models/browser-example/'));
    addResult(
      `saved to <code>${SAVE_URL}</code>: ${result.localStorageKeys.length} localStorage entries` +
        (saved && saved.modelArtifactsInfo ? `, ${saved.modelArtifactsInfo.weightDataBytes} bytes of weights` : ''),
    );
    const loaded = await rc.loadLayersModel(SAVE_URL);
    const a = model.predict(testSet.x).dataSync();
    const b = loaded.predict(testSet.x).dataSync();
    result.reloadMaxDiff = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    addResult(`loaded back with <code>loadLayersModel('${SAVE_URL}')</code>: max prediction difference ${result.reloadMaxDiff}`);

    result.done = true;
    setStatus(`done — final loss ${result.finalLoss.toFixed(4)}, held-out accuracy ${result.testAccuracy.toFixed(3)}`, 'done');
  }

  main().catch((e) => {
    result.error = String(e && e.message ? e.message : e);
    result.done = true;
    setStatus(`failed: ${result.error}`, 'failed');
    throw e;
  });
})();
