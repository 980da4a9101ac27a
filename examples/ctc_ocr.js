// OCR-style sequence recognition with CTC: read noisy digit strings from a 1-D strip of feature frames.
//
// Each digit is "rendered" as a fixed glyph of 3 columns (8 features each, one random pattern per digit), each
// column drawn once or twice (variable width), in heavy noise, at a random offset and with random gaps between
// digits, as a text line scanned left to right.
// Nothing tells the model where one digit ends: it is trained with the CTC loss on the strings alone
// ('ctc': labels padded with 0, class 0 the blank, digit d = class d + 1):
//   Bidirectional(LSTM, returnSequences) -> TimeDistributed(Dense(11 logits))
// then its per-frame outputs are decoded with greedy decoding and with prefix beam search (ctcDecode), and the
// character error rate (edit distance / characters) on held-out strings is printed.
//
//   npm run build   # once
//   npm run example:ctc
const rc = require('recurrent');

rc.setSeed(1);
const T = 48; // frames per strip
const F = 8; // features per frame
const W = 3; // frames per glyph
const MAX_LEN = 6; // digits per string: 3..6
const C = 11; // blank + 10 digits
const NOISE = 0.8; // standard deviation of the noise added to every feature

// One glyph per digit: W frames of F features, well apart from each other.
const glyphGen = new rc.RandomGenerator(42);
const GLYPHS = Array.from({ length: 10 }, () => Array.from({ length: W * F }, () => glyphGen.normal()));

/** n strips [n, T, F] with their digit strings and padded labels [n, MAX_LEN] (digit + 1, then 0s). */
function makeData(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const x = new Float32Array(n * T * F);
  const y = new Float32Array(n * MAX_LEN);
  const strings = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < T * F; k++) x[i * T * F + k] = NOISE * g.normal(); // background noise
    const len = 3 + g.int(MAX_LEN - 2);
    let t = g.int(3);
    let s = '';
    for (let j = 0; j < len; j++) {
      const d = g.int(10);
      s += d;
      y[i * MAX_LEN + j] = d + 1;
      // Each glyph column is drawn once or twice (handwriting width / speaking rate varies).
      for (let w = 0; w < W; w++) {
        const reps = 1 + g.int(2);
        for (let r = 0; r < reps; r++, t++) for (let k = 0; k < F; k++) x[(i * T + t) * F + k] += GLYPHS[d][w * F + k];
      }
      t += 1 + g.int(2); // a gap of 1 or 2 frames
    }
    strings.push(s);
  }
  return { x: rc.tensor(x, [n, T, F]), y: rc.tensor(y, [n, MAX_LEN]), strings };
}

/** Levenshtein distance between two strings. */
function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

/** The decoded strings of path 0 of ctcDecode's [paths, batch, T] output (class c -> digit c - 1). */
function decodedStrings(decoded) {
  const [, n] = decoded.shape;
  const v = decoded.dataSync();
  const out = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let t = 0; t < T && v[i * T + t] >= 0; t++) s += v[i * T + t] - 1;
    out.push(s);
  }
  return out;
}

function cer(predicted, truth) {
  let errors = 0;
  let chars = 0;
  truth.forEach((s, i) => {
    errors += editDistance(predicted[i], s);
    chars += s.length;
  });
  return errors / chars;
}

async function main() {
  const trainSet = makeData(1500, 1);
  const testSet = makeData(300, 2);

  const model = rc.sequential();
  model.add(rc.layers.bidirectional({ layer: rc.layers.lstm({ units: 24, returnSequences: true }), inputShape: [T, F] }));
  model.add(rc.layers.timeDistributed({ layer: rc.layers.dense({ units: C }) })); // logits, class 0 = blank
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'ctc' });
  model.summary();

  const start = Date.now();
  await model.fit(trainSet.x, trainSet.y, {
    epochs: 20,
    batchSize: 32,
    seed: 3,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(
          `epoch ${String(epoch + 1).padStart(2)}  ctc loss ${logs.loss.toFixed(4)}  (${((Date.now() - start) / 1000).toFixed(1)} s)`,
        ),
    },
  });

  const logits = model.predict(testSet.x);
  const lengths = rc.tensor(new Int32Array(testSet.strings.length).fill(T), [testSet.strings.length], 'int32');
  const [greedy] = rc.ctcDecode(logits, lengths, { strategy: 'greedy' });
  const [beam, beamLogProbs] = rc.ctcDecode(logits, lengths, { strategy: 'beam_search', beamWidth: 8 });
  const greedyStrings = decodedStrings(greedy);
  const beamStrings = decodedStrings(beam);
  const testLoss = model.evaluate(testSet.x, testSet.y).dataSync()[0];

  console.log(`held-out ctc loss: ${testLoss.toFixed(4)}`);
  console.log(`greedy CER: ${cer(greedyStrings, testSet.strings).toFixed(4)}`);
  console.log(`beam search CER: ${cer(beamStrings, testSet.strings).toFixed(4)}`);
  const exact = beamStrings.filter((s, i) => s === testSet.strings[i]).length;
  console.log(`strings read exactly (beam search): ${exact} / ${testSet.strings.length}`);
  for (let i = 0; i < 6; i++) {
    console.log(
      `${testSet.strings[i].padEnd(MAX_LEN)} -> greedy ${greedyStrings[i].padEnd(MAX_LEN)} beam ${beamStrings[i].padEnd(MAX_LEN)} (log p ${beamLogProbs.dataSync()[i].toFixed(3)})`,
    );
  }
  console.log(`total time: ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
