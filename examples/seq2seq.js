// Sequence to sequence: reverse a string of digits with an encoder-decoder LSTM that passes its states.
//
// A functional model, as in Keras's lstm_seq2seq and tfjs's translation example:
//   encoder: LSTM over the one-hot digits, returnState -> its final [h, c]
//   decoder: LSTM over the target shifted right (teacher forcing: START, y0, y1, ...), starting from [h, c]
//            -> TimeDistributed(Dense softmax): the next digit at every step.
// After training, two inference models share the trained layers: the encoder model (digits -> [h, c]) and a
// one-step decoder model ([token, h, c] -> [next-digit probabilities, h, c]), run greedily one digit at a time.
// Prints per-digit and whole-sequence accuracy on held-out strings, and a few examples.
//
//   npm run build   # once
//   npm run example:seq2seq
const rc = require('recurrent');

rc.setSeed(1);
const L = 5; // digits per string
const D = 10; // alphabet: 0-9
const START = D; // the decoder's start token
const V = D + 1; // decoder input alphabet: digits + START

/** One-hot rows of `tokens` (each in [0, depth)) as a [n, T, depth] tensor. */
function oneHot3d(tokens, n, T, depth) {
  const out = new Float32Array(n * T * depth);
  tokens.forEach((k, i) => (out[i * depth + k] = 1));
  return rc.tensor(out, [n, T, depth]);
}

/** n random digit strings: encoder input, decoder input (teacher forcing), reversed targets. */
function makeData(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const enc = [];
  const dec = [];
  const target = new Float32Array(n * L);
  const strings = [];
  for (let i = 0; i < n; i++) {
    const digits = Array.from({ length: L }, () => g.int(D));
    strings.push(digits.join(''));
    const reversed = digits.slice().reverse();
    enc.push(...digits);
    dec.push(START, ...reversed.slice(0, L - 1));
    reversed.forEach((d, t) => (target[i * L + t] = d));
  }
  return { strings, xEnc: oneHot3d(enc, n, L, D), xDec: oneHot3d(dec, n, L, V), y: rc.tensor(target, [n, L, 1]) };
}

async function main() {
  const trainSet = makeData(4000, 1);
  const testSet = makeData(500, 2);
  const U = 64;

  // Training model: [encoder digits, shifted targets] -> next-digit probabilities.
  const encIn = rc.input({ shape: [L, D], name: 'encoder_input' });
  const encoder = rc.layers.lstm({ units: U, returnState: true, name: 'encoder' });
  const [, h, c] = encoder.apply(encIn);
  const decIn = rc.input({ shape: [null, V], name: 'decoder_input' });
  const decoder = rc.layers.lstm({ units: U, returnSequences: true, returnState: true, name: 'decoder' });
  const [decSeq] = decoder.apply(decIn, { initialState: [h, c] });
  const head = rc.layers.timeDistributed({ layer: rc.layers.dense({ units: D, activation: 'softmax' }), name: 'head' });
  const model = rc.model({ inputs: [encIn, decIn], outputs: head.apply(decSeq), name: 'seq2seq' });
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.summary();

  const start = Date.now();
  await model.fit([trainSet.xEnc, trainSet.xDec], trainSet.y, {
    epochs: 12,
    batchSize: 64,
    seed: 3,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(
          `epoch ${String(epoch + 1).padStart(2)}  loss ${logs.loss.toFixed(4)}  digit accuracy ${logs.acc.toFixed(3)}  (${((Date.now() - start) / 1000).toFixed(1)} s)`,
        ),
    },
  });

  // Inference models sharing the trained layers.
  const encoderModel = rc.model({ inputs: encIn, outputs: [h, c], name: 'encoder_model' });
  const hIn = rc.input({ shape: [U], name: 'h_in' });
  const cIn = rc.input({ shape: [U], name: 'c_in' });
  const stepIn = rc.input({ shape: [1, V], name: 'step_in' });
  const [stepSeq, hOut, cOut] = decoder.apply(stepIn, { initialState: [hIn, cIn] });
  const decoderModel = rc.model({ inputs: [stepIn, hIn, cIn], outputs: [head.apply(stepSeq), hOut, cOut], name: 'decoder_model' });

  // Greedy decoding of all held-out strings at once: feed each predicted digit back in.
  const n = testSet.strings.length;
  let [state_h, state_c] = encoderModel.predict(testSet.xEnc, { batchSize: n });
  let tokens = new Array(n).fill(START);
  const decoded = Array.from({ length: n }, () => '');
  for (let t = 0; t < L; t++) {
    const [probs, nh, nc] = decoderModel.predict([oneHot3d(tokens, n, 1, V), state_h, state_c], { batchSize: n });
    const p = probs.dataSync();
    tokens = tokens.map((_, i) => {
      let best = 0;
      for (let d = 1; d < D; d++) if (p[i * D + d] > p[i * D + best]) best = d;
      decoded[i] += best;
      return best;
    });
    [state_h, state_c] = [nh, nc];
  }
  let digitsRight = 0;
  let stringsRight = 0;
  for (let i = 0; i < n; i++) {
    const want = testSet.strings[i].split('').reverse().join('');
    for (let t = 0; t < L; t++) if (decoded[i][t] === want[t]) digitsRight++;
    if (decoded[i] === want) stringsRight++;
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
