// Attention: translate dates written in several formats into ISO dates with an encoder–decoder that attends.
//
//   '7 Mar 2024', 'Mar 07, 2024', '07.03.2024', '3/7/2024'  ->  '2024-03-07'
//
// A functional model (Luong-style attention over the encoder outputs, as in the textbook's "attention" section):
//   encoder: LSTM over the one-hot input characters, returnSequences + returnState -> all outputs, final [h, c]
//   decoder: LSTM over the target shifted right (teacher forcing: START, y0, y1, ...), starting from [h, c]
//   layers.attention: each decoder output (query) attends over the encoder outputs (values) -> a context vector
//   concatenate([context, decoder output]) -> TimeDistributed(Dense tanh) -> TimeDistributed(Dense softmax)
// Decoded greedily by re-running the whole model on the growing target prefix (START, then each predicted
// character), which is simple and, for 10 output characters, fast enough. Prints held-out sequence accuracy and
// the attention matrix of one example (rows: output characters, columns: input characters; each row sums to 1).
//
//   npm run build   # once
//   npm run example:attention
const rc = require('recurrent');

rc.setSeed(1);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const IN_CHARS = ' 0123456789/.,' + [...new Set(MONTHS.join(''))].join(''); // ' ' also pads the input
const OUT_CHARS = '0123456789-';
const TX = 12; // longest input: 'Mar 07, 2024'
const TY = 10; // 'YYYY-MM-DD'
const VIN = IN_CHARS.length;
const START = OUT_CHARS.length; // the decoder's start token
const VDEC = OUT_CHARS.length + 1; // decoder input alphabet: output characters + START
const pad2 = (n) => String(n).padStart(2, '0');

/** The input formats: day-month-year, month-day-year (US, with '/'), European dots, ISO-like with spaces. */
const FORMATS = [
  (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`, //  '7 Mar 2024'
  (y, m, d) => `${MONTHS[m - 1]} ${pad2(d)}, ${y}`, // 'Mar 07, 2024'
  (y, m, d) => `${pad2(d)}.${pad2(m)}.${y}`, //      '07.03.2024'
  (y, m, d) => `${m}/${d}/${y}`, //                  '3/7/2024'
  (y, m, d) => `${y} ${pad2(m)} ${pad2(d)}`, //      '2024 03 07'
];

/** One-hot rows of `tokens` (each in [0, depth)) as a [n, T, depth] tensor. */
function oneHot3d(tokens, n, T, depth) {
  const out = new Float32Array(n * T * depth);
  tokens.forEach((k, i) => (out[i * depth + k] = 1));
  return rc.tensor(out, [n, T, depth]);
}

/** n random dates in 1950–2049 rendered in a random format: encoder input, decoder input, targets. */
function makeData(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const sources = [];
  const isos = [];
  const enc = [];
  const dec = [];
  const target = new Float32Array(n * TY);
  for (let i = 0; i < n; i++) {
    const y = 1950 + g.int(100);
    const m = 1 + g.int(12);
    const d = 1 + g.int(DAYS_IN_MONTH[m - 1]);
    const src = FORMATS[g.int(FORMATS.length)](y, m, d).padEnd(TX, ' ');
    const iso = `${y}-${pad2(m)}-${pad2(d)}`;
    sources.push(src.trimEnd());
    isos.push(iso);
    enc.push(...[...src].map((ch) => IN_CHARS.indexOf(ch)));
    const out = [...iso].map((ch) => OUT_CHARS.indexOf(ch));
    dec.push(START, ...out.slice(0, TY - 1));
    out.forEach((k, t) => (target[i * TY + t] = k));
  }
  return { sources, isos, xEnc: oneHot3d(enc, n, TX, VIN), xDec: oneHot3d(dec, n, TY, VDEC), y: rc.tensor(target, [n, TY, 1]) };
}

async function main() {
  const trainSet = makeData(6000, 1);
  const testSet = makeData(500, 2);
  const U = 48;

  const encIn = rc.input({ shape: [TX, VIN], name: 'encoder_input' });
  const [encSeq, h, c] = rc.layers.lstm({ units: U, returnSequences: true, returnState: true, name: 'encoder' }).apply(encIn);
  const decIn = rc.input({ shape: [null, VDEC], name: 'decoder_input' });
  const decSeq = rc.layers.lstm({ units: U, returnSequences: true, name: 'decoder' }).apply(decIn, { initialState: [h, c] });
  // Query: the decoder outputs [batch, Ty, U]; value (and key): the encoder outputs [batch, Tx, U].
  const attention = rc.layers.attention({ useScale: true, name: 'attention' });
  const [context, weights] = attention.apply([decSeq, encSeq], { returnAttentionScores: true });
  const merged = rc.layers.concatenate({ name: 'context_and_decoder' }).apply([context, decSeq]);
  const hidden = rc.layers.timeDistributed({ layer: rc.layers.dense({ units: U, activation: 'tanh' }), name: 'attentional' }).apply(merged);
  const probs = rc.layers
    .timeDistributed({ layer: rc.layers.dense({ units: OUT_CHARS.length, activation: 'softmax' }), name: 'head' })
    .apply(hidden);
  const model = rc.model({ inputs: [encIn, decIn], outputs: probs, name: 'date_translator' });
  // The same layers, also returning the attention weights [batch, Ty, Tx].
  const withWeights = rc.model({ inputs: [encIn, decIn], outputs: [probs, weights], name: 'date_translator_weights' });
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.summary();

  const start = Date.now();
  await model.fit([trainSet.xEnc, trainSet.xDec], trainSet.y, {
    epochs: 8,
    batchSize: 64,
    seed: 3,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(
          `epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}  character accuracy ${logs.acc.toFixed(3)}  (${((Date.now() - start) / 1000).toFixed(1)} s)`,
        ),
    },
  });

  // Greedy decoding of all held-out dates at once: run the model on START + the characters decoded so far and
  // keep the prediction at the last step.
  const n = testSet.sources.length;
  const prefix = Array.from({ length: n }, () => [START]);
  for (let t = 0; t < TY; t++) {
    const p = model.predict([testSet.xEnc, oneHot3d(prefix.flat(), n, t + 1, VDEC)], { batchSize: n }).dataSync();
    for (let i = 0; i < n; i++) {
      const row = (i * (t + 1) + t) * OUT_CHARS.length;
      let best = 0;
      for (let k = 1; k < OUT_CHARS.length; k++) if (p[row + k] > p[row + best]) best = k;
      prefix[i].push(best);
    }
  }
  const decoded = prefix.map((tokens) =>
    tokens
      .slice(1)
      .map((k) => OUT_CHARS[k])
      .join(''),
  );
  let charsRight = 0;
  let datesRight = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < TY; t++) if (decoded[i][t] === testSet.isos[i][t]) charsRight++;
    if (decoded[i] === testSet.isos[i]) datesRight++;
  }
  console.log(`held-out character accuracy: ${(charsRight / (n * TY)).toFixed(4)}`);
  console.log(`held-out sequence accuracy: ${(datesRight / n).toFixed(4)}`);
  for (let i = 0; i < 6; i++) {
    const ok = decoded[i] === testSet.isos[i] ? 'ok' : `(want ${testSet.isos[i]})`;
    console.log(`${testSet.sources[i].padEnd(TX)} -> ${decoded[i]}  ${ok}`);
  }

  // The attention matrix of one held-out example, fed its own decoded output (rows: output steps).
  const i = testSet.sources.findIndex((s) => /[A-Z]/.test(s));
  const src = testSet.sources[i].padEnd(TX, ' ');
  const xEnc = oneHot3d(
    [...src].map((ch) => IN_CHARS.indexOf(ch)),
    1,
    TX,
    VIN,
  );
  const xDec = oneHot3d(prefix[i].slice(0, TY), 1, TY, VDEC);
  const w = withWeights.predict([xEnc, xDec])[1].dataSync(); // [1, TY, TX]
  console.log('');
  console.log(`attention weights for '${testSet.sources[i]}' -> '${decoded[i]}' (rows: output characters, columns: input characters):`);
  console.log(`   ${[...src].map((ch) => `    ${ch === ' ' ? '␣' : ch}`).join('')}`);
  for (let t = 0; t < TY; t++) {
    const row = Array.from(w.subarray(t * TX, (t + 1) * TX), (v) => v.toFixed(2));
    console.log(`  ${decoded[i][t]} ${row.join(' ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
