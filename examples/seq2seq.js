// Sequence to sequence: reverse a string of digits with an encoder-decoder LSTM.
//
// A sequential model, as in the classic Keras "addition RNN" example:
//   LSTM encoder (reads the one-hot digits, keeps only its final state)
//   -> RepeatVector (hands that state to every output step)
//   -> LSTM decoder (returnSequences)
//   -> TimeDistributed(Dense softmax) (one digit per output step).
// The whole input has to pass through the encoder's fixed-size state. Prints per-digit and
// whole-sequence accuracy on held-out strings, and a few examples.
//
//   npm run build   # once
//   npm run example:seq2seq
const rc = require('recurrent');

rc.setSeed(1);
const L = 5; // digits per string
const D = 10; // alphabet: 0-9

/** n random digit strings: one-hot inputs [n, L, D], reversed targets as indices [n, L, 1]. */
function makeData(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const x = new Float32Array(n * L * D);
  const y = new Float32Array(n * L);
  const strings = [];
  for (let i = 0; i < n; i++) {
    const digits = Array.from({ length: L }, () => g.int(D));
    strings.push(digits.join(''));
    digits.forEach((d, t) => {
      x[(i * L + t) * D + d] = 1;
      y[i * L + (L - 1 - t)] = d;
    });
  }
  return { strings, x: rc.tensor(x, [n, L, D]), y: rc.tensor(y, [n, L, 1]) };
}

async function main() {
  const trainSet = makeData(4000, 1);
  const testSet = makeData(500, 2);
  const U = 64;

  const model = rc.sequential();
  model.add(rc.layers.lstm({ units: U, inputShape: [L, D] }));
  model.add(rc.layers.repeatVector({ n: L }));
  model.add(rc.layers.lstm({ units: U, returnSequences: true }));
  model.add(rc.layers.timeDistributed({ layer: rc.layers.dense({ units: D, activation: 'softmax' }) }));
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.summary();

  const start = Date.now();
  await model.fit(trainSet.x, trainSet.y, {
    epochs: 20,
    batchSize: 64,
    seed: 3,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(`epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}  digit accuracy ${logs.acc.toFixed(3)}  (${((Date.now() - start) / 1000).toFixed(1)} s)`),
    },
  });

  // Held-out: a string counts only if every digit is right.
  const probs = model.predict(testSet.x).dataSync();
  const truth = testSet.y.dataSync();
  const n = testSet.strings.length;
  let digitsRight = 0;
  let stringsRight = 0;
  const decoded = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    let all = true;
    for (let t = 0; t < L; t++) {
      const p = probs.subarray((i * L + t) * D, (i * L + t + 1) * D);
      let best = 0;
      for (let d = 1; d < D; d++) if (p[d] > p[best]) best = d;
      s += best;
      if (best === truth[i * L + t]) digitsRight++;
      else all = false;
    }
    if (all) stringsRight++;
    decoded.push(s);
  }
  console.log(`held-out digit accuracy: ${(digitsRight / (n * L)).toFixed(4)}`);
  console.log(`held-out sequence accuracy: ${(stringsRight / n).toFixed(4)}`);
  for (let i = 0; i < 6; i++) {
    const want = testSet.strings[i].split('').reverse().join('');
    console.log(`${testSet.strings[i]} -> ${decoded[i]}  ${decoded[i] === want ? 'ok' : `(want ${want})`}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
