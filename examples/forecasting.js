// Time-series forecasting with a GRU: predict the next 12 values of a noisy seasonal signal.
//
// The series is generated (seeded): a sine of period 25 riding on a slower one of period 160, plus
// Gaussian noise (sd 0.1). The model reads a window of the last 48 values and outputs the next 12
// at once (a "direct" multi-step forecast: Dense(12) on top of the GRU's last state). It trains on
// the first 1000 points and forecasts from windows in the held-out tail; prints the test error per
// horizon next to a naive "repeat the last value" baseline, and one forecast vs the truth.
//
//   npm run build   # once
//   npm run example:forecast
const rc = require('recurrent');

rc.setSeed(7);
const WINDOW = 48; // input steps
const HORIZON = 12; // steps forecast
const N = 1300; // points in the series
const SPLIT = 1000; // train on windows ending before SPLIT, test on the rest

// The series: seasonal (period 25) + slow (period 160) + noise.
const g = new rc.RandomGenerator(3);
const clean = new Float32Array(N);
const series = new Float32Array(N);
for (let t = 0; t < N; t++) {
  clean[t] = Math.sin((2 * Math.PI * t) / 25) + 0.5 * Math.sin((2 * Math.PI * t) / 160);
  series[t] = clean[t] + 0.1 * g.normal();
}

/** Inputs [n, WINDOW, 1] = series[s-WINDOW, s) and targets [n, HORIZON] = series[s, s+HORIZON), for s in [from, to]. */
function windows(from, to) {
  const n = to - from + 1;
  const x = new Float32Array(n * WINDOW);
  const y = new Float32Array(n * HORIZON);
  for (let i = 0; i < n; i++) {
    const s = from + i;
    x.set(series.subarray(s - WINDOW, s), i * WINDOW);
    y.set(series.subarray(s, s + HORIZON), i * HORIZON);
  }
  return { n, x: rc.tensor(x, [n, WINDOW, 1]), y: rc.tensor(y, [n, HORIZON]) };
}

async function main() {
  const trainSet = windows(WINDOW, SPLIT - HORIZON);
  const testSet = windows(SPLIT, N - HORIZON);

  const model = rc.sequential();
  model.add(rc.layers.gru({ units: 24, inputShape: [WINDOW, 1] }));
  model.add(rc.layers.dense({ units: HORIZON }));
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'meanSquaredError' });

  const start = Date.now();
  await model.fit(trainSet.x, trainSet.y, {
    epochs: 25,
    batchSize: 32,
    seed: 1,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => {
        if ((epoch + 1) % 5 === 0) console.log(`epoch ${String(epoch + 1).padStart(2)}  train mse ${logs.loss.toFixed(5)}`);
      },
    },
  });
  console.log(`trained in ${((Date.now() - start) / 1000).toFixed(1)} s`);

  // Test error per horizon, against the naive forecast (every future value = the last value seen).
  const pred = model.predict(testSet.x).dataSync();
  const truth = testSet.y.dataSync();
  const mse = new Float64Array(HORIZON);
  const naive = new Float64Array(HORIZON);
  for (let i = 0; i < testSet.n; i++) {
    const last = series[SPLIT + i - 1];
    for (let h = 0; h < HORIZON; h++) {
      mse[h] += (pred[i * HORIZON + h] - truth[i * HORIZON + h]) ** 2 / testSet.n;
      naive[h] += (last - truth[i * HORIZON + h]) ** 2 / testSet.n;
    }
  }
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  console.log('horizon    test mse   naive mse');
  for (const h of [0, 2, 5, 8, 11]) {
    console.log(`${String(h + 1).padStart(7)}  ${mse[h].toFixed(4).padStart(9)}  ${naive[h].toFixed(4).padStart(10)}`);
  }
  console.log(`test mse (all ${HORIZON} horizons): ${mean(mse).toFixed(4)}  naive: ${mean(naive).toFixed(4)}  noise floor: 0.0100`);

  // One forecast from the first held-out window, next to what happened.
  console.log(`forecast from t = ${SPLIT}:`);
  console.log('step   forecast   truth (noisy)   clean signal');
  for (let h = 0; h < HORIZON; h++) {
    const t = SPLIT + h;
    console.log(
      `${String(h + 1).padStart(4)}  ${pred[h].toFixed(3).padStart(9)}  ${series[t].toFixed(3).padStart(14)}  ${clean[t].toFixed(3).padStart(13)}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
