// Character-level text generation with an LSTM, sampled at two temperatures.
//
// Trains on ten of Shakespeare's sonnets (examples/data/sonnets.txt, public domain, ~6 KB): the
// model reads 40 characters and predicts, at every position, the character that comes next
// (Embedding -> LSTM(returnSequences) -> TimeDistributed(Dense softmax)). Then it writes new text one
// character at a time from a seed line, drawing each character from the predicted distribution
// reshaped by a temperature: low temperature (0.4) is conservative, high (1.0) adventurous.
//
//   npm run build   # once
//   npm run example:text
const fs = require('fs');
const path = require('path');
const rc = require('recurrent');

rc.setSeed(2024);
const T = 40; // characters per training sequence
const STRIDE = 4; // start a new training sequence every 4 characters

// The corpus: the sonnets after the header, lower-cased to keep the alphabet small.
const raw = fs.readFileSync(path.join(__dirname, 'data', 'sonnets.txt'), 'utf8');
const text = raw.slice(raw.indexOf('\n\n') + 2).toLowerCase();
const chars = Array.from(new Set(text)).sort();
const V = chars.length;
const index = new Map(chars.map((c, i) => [c, i]));
const encoded = Int32Array.from(text, (c) => index.get(c));
console.log(`corpus: ${text.length} characters, ${V} distinct`);

// Inputs are T-character slices; targets are the same slices shifted by one character.
const starts = [];
for (let s = 0; s + T + 1 <= encoded.length; s += STRIDE) starts.push(s);
const n = starts.length;
const xs = new Float32Array(n * T);
const ys = new Float32Array(n * T);
starts.forEach((s, i) => {
  for (let t = 0; t < T; t++) {
    xs[i * T + t] = encoded[s + t];
    ys[i * T + t] = encoded[s + t + 1];
  }
});
const x = rc.tensor(xs, [n, T]);
const y = rc.tensor(ys, [n, T, 1]);

/** Draws an index from probabilities p reshaped by temperature: p^(1/temperature), renormalized. */
function sample(p, temperature, g) {
  const w = Array.from(p, (v) => Math.exp(Math.log(Math.max(v, 1e-12)) / temperature));
  const total = w.reduce((a, b) => a + b, 0);
  let r = g.uniform(0, total);
  for (let i = 0; i < w.length; i++) {
    r -= w[i];
    if (r <= 0) return i;
  }
  return w.length - 1;
}

/** Continues `seed` by `length` characters, each drawn from the model's prediction for the last T characters. */
function generate(model, seed, length, temperature, g) {
  let out = seed;
  for (let k = 0; k < length; k++) {
    const context = out.slice(-T).padStart(T, ' ');
    const input = rc.tensor(
      Float32Array.from(context, (c) => index.get(c) ?? index.get(' ')),
      [1, T],
    );
    const probs = rc.tidy(() =>
      model
        .predict(input)
        .dataSync()
        .slice((T - 1) * V, T * V),
    );
    input.dispose();
    out += chars[sample(probs, temperature, g)];
  }
  return out;
}

async function main() {
  const model = rc.sequential();
  model.add(rc.layers.embedding({ inputDim: V, outputDim: 16, inputLength: T }));
  model.add(rc.layers.lstm({ units: 64, returnSequences: true }));
  model.add(rc.layers.timeDistributed({ layer: rc.layers.dense({ units: V, activation: 'softmax' }) }));
  model.compile({ optimizer: rc.train.adam(0.02), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

  const start = Date.now();
  const history = await model.fit(x, y, {
    epochs: 5,
    batchSize: 32,
    seed: 5,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(
          `epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(3)}  next-char accuracy ${logs.acc.toFixed(3)}  (${((Date.now() - start) / 1000).toFixed(1)} s)`,
        ),
    },
  });
  const losses = history.history.loss;
  console.log(
    `first loss: ${losses[0].toFixed(4)}  final loss: ${losses[losses.length - 1].toFixed(4)}  (uniform guessing: ${Math.log(V).toFixed(4)})`,
  );

  const g = new rc.RandomGenerator(11);
  const seedLine = 'shall i compare thee to ';
  for (const temperature of [0.4, 1.0]) {
    console.log(`\n--- temperature ${temperature} ---`);
    console.log(generate(model, seedLine, 240, temperature, g));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
