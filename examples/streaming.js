// Streaming inference with a stateful LSTM: one time step at a time, as readings arrive.
//
// A model is trained the usual way, on whole sequences: each sequence is a sensor signal (a sine
// with its own random frequency, phase and amplitude, plus noise) and the model predicts the next
// reading at every step (LSTM returnSequences -> TimeDistributed(Dense)). It has to work out each
// stream's frequency from what it has seen so far, so its state matters.
//
// For deployment the same weights go into a stateful copy built for one reading per call
// (batchInputShape [1, 1, features], stateful: true): each predict() continues from the state the
// previous call left, and resetStates() starts a new stream. The example checks that step-by-step
// outputs equal the whole-sequence outputs (prints the max difference), shows that forgetting
// resetStates() between streams gives different answers, and prints how the prediction error falls
// as a stream goes on.
//
//   npm run build   # once
//   npm run example:streaming
const rc = require('recurrent');

rc.setSeed(3);
const T = 60; // readings per training sequence
const F = 1; // features per reading
const UNITS = 24;

/** n streams of T + 1 readings: inputs [n, T, 1] = readings 0..T-1, targets [n, T, 1] = readings 1..T. */
function makeStreams(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const x = new Float32Array(n * T);
  const y = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    const freq = g.uniform(0.05, 0.25); // radians per step
    const phase = g.uniform(0, 2 * Math.PI);
    const amp = g.uniform(0.5, 1.5);
    const r = Array.from({ length: T + 1 }, (_, t) => amp * Math.sin(freq * t + phase) + 0.03 * g.normal());
    for (let t = 0; t < T; t++) {
      x[i * T + t] = r[t];
      y[i * T + t] = r[t + 1];
    }
  }
  return { x: rc.tensor(x, [n, T, F]), y: rc.tensor(y, [n, T, 1]), xs: x, ys: y };
}

/** The architecture; `stateful` builds the one-reading-at-a-time copy. */
function build(stateful) {
  const model = rc.sequential();
  model.add(
    stateful
      ? rc.layers.lstm({ units: UNITS, returnSequences: true, stateful: true, batchInputShape: [1, 1, F] })
      : rc.layers.lstm({ units: UNITS, returnSequences: true, inputShape: [T, F] }),
  );
  model.add(rc.layers.timeDistributed({ layer: rc.layers.dense({ units: 1 }) }));
  return model;
}

/** Feeds the stateful model one reading per predict() call; returns its T outputs. */
function streamOneByOne(streaming, readings) {
  const out = new Float32Array(readings.length);
  for (let t = 0; t < readings.length; t++) {
    const reading = rc.tensor([readings[t]], [1, 1, F]);
    const y = streaming.predict(reading);
    out[t] = y.dataSync()[0];
    reading.dispose();
    y.dispose();
  }
  return out;
}

const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

async function main() {
  // 1. Train on whole sequences.
  const trainSet = makeStreams(512, 1);
  const model = build(false);
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'meanSquaredError' });
  const start = Date.now();
  await model.fit(trainSet.x, trainSet.y, {
    epochs: 20,
    batchSize: 32,
    seed: 2,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => {
        if ((epoch + 1) % 5 === 0) console.log(`epoch ${String(epoch + 1).padStart(2)}  mse ${logs.loss.toFixed(5)}`);
      },
    },
  });
  console.log(`trained in ${((Date.now() - start) / 1000).toFixed(1)} s`);

  // 2. The streaming copy: same weights, one reading per call.
  const streaming = build(true);
  streaming.setWeights(model.getWeights());

  // 3. Three new streams, each fed reading by reading, with resetStates() between them.
  const streams = makeStreams(3, 99);
  const whole = model.predict(streams.x).dataSync(); // whole-sequence outputs, [3, T, 1]
  let worst = 0;
  const errByStep = new Float64Array(T);
  for (let s = 0; s < 3; s++) {
    streaming.resetStates(); // a new stream starts from a zero state
    const readings = streams.xs.subarray(s * T, (s + 1) * T);
    const stepByStep = streamOneByOne(streaming, readings);
    const diff = maxAbsDiff(stepByStep, whole.subarray(s * T, (s + 1) * T));
    worst = Math.max(worst, diff);
    console.log(`stream ${s}: ${T} readings one at a time; max |step-by-step - whole-sequence| = ${diff.toExponential(2)}`);
    for (let t = 0; t < T; t++) errByStep[t] += Math.abs(stepByStep[t] - streams.ys[s * T + t]) / 3;
  }
  console.log(`max difference (step by step vs whole sequence): ${worst.toExponential(3)}`);

  // 4. Without resetStates(), stream 1 would start from the state stream 0 left behind.
  streaming.resetStates();
  streamOneByOne(streaming, streams.xs.subarray(0, T));
  const carried = streamOneByOne(streaming, streams.xs.subarray(T, 2 * T)); // no reset in between
  console.log(
    `without resetStates() between streams, stream 1 differs by up to ${maxAbsDiff(carried, whole.subarray(T, 2 * T)).toFixed(4)}`,
  );

  // 5. What the state buys: the next-reading error falls as the model sees more of a stream.
  const avg = (from, to) => errByStep.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
  console.log(
    `mean |error| of the next-reading prediction: steps 1-5 ${avg(0, 5).toFixed(4)}, steps 6-20 ${avg(5, 20).toFixed(4)}, steps 21-${T} ${avg(20, T).toFixed(4)}`,
  );
  console.log('stream 0: after reading   predicted next   actual next');
  for (let t = 30; t < 36; t++) {
    console.log(`${String(t + 1).padStart(20)}  ${whole[t].toFixed(3).padStart(15)}  ${streams.ys[t].toFixed(3).padStart(12)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
