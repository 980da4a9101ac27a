// Sequence classification with an LSTM: a task that needs memory.
//
// Each sequence is 20 steps of random noise in [-1, 1]. Somewhere in the first half one step is
// flagged by a marker channel; the label is whether the value at that flagged step was positive.
// The label is decided long before the sequence ends, so the LSTM must notice the marker, store the
// sign in its cell state and carry it past the remaining noise steps. Prints the held-out accuracy.
//
//   npm run build   # once
//   npm run example:classify
const rc = require('recurrent');

rc.setSeed(42); // weight initialization (and fit's shuffling, via seed below) is reproducible
const T = 20; // time steps
const F = 2; // features per step: [value, marker]

/** n sequences [n, T, F] and labels [n, 1] from a seeded generator. */
function makeData(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const x = new Float32Array(n * T * F);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const marked = g.int(T / 2); // the flagged step, somewhere in the first half
    for (let t = 0; t < T; t++) {
      x[(i * T + t) * F] = g.uniform(-1, 1);
      x[(i * T + t) * F + 1] = t === marked ? 1 : 0;
    }
    y[i] = x[(i * T + marked) * F] > 0 ? 1 : 0;
  }
  return { x: rc.tensor(x, [n, T, F]), y: rc.tensor(y, [n, 1]), raw: x, labels: y };
}

async function main() {
  const trainSet = makeData(1024, 1);
  const testSet = makeData(256, 2);

  const model = rc.sequential();
  model.add(rc.layers.lstm({ units: 16, inputShape: [T, F] }));
  model.add(rc.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: rc.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  model.summary();

  const start = Date.now();
  await model.fit(trainSet.x, trainSet.y, {
    epochs: 25,
    batchSize: 32,
    seed: 7,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(`epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}  acc ${logs.acc.toFixed(3)}`),
    },
  });
  console.log(`trained in ${((Date.now() - start) / 1000).toFixed(1)} s`);

  const [loss, acc] = model.evaluate(testSet.x, testSet.y);
  console.log(`held-out loss: ${loss.dataSync()[0].toFixed(4)}`);
  console.log(`held-out accuracy: ${acc.dataSync()[0].toFixed(4)}`);

  // A few held-out sequences: the flagged value, the label and the model's probability.
  const probs = model.predict(testSet.x).dataSync();
  for (let i = 0; i < 5; i++) {
    let t = 0;
    while (testSet.raw[(i * T + t) * F + 1] !== 1) t++;
    const v = testSet.raw[(i * T + t) * F];
    console.log(
      `sample ${i}: flagged step ${String(t).padStart(2)} value ${v.toFixed(3).padStart(6)}  label ${testSet.labels[i]}  p(positive) ${probs[i].toFixed(3)}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
