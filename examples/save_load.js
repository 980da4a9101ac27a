// Save a trained model to disk and load it back in a fresh Node process.
//
// Trains a small LSTM (it learns the mean of a sequence of 10 numbers), saves it with
// `model.save('file://<dir>')` (a tfjs-format model.json + weights.bin), then starts a NEW node
// process (examples/save_load_check.js) that loads it with
// `loadLayersModel('file://<dir>/model.json')` and predicts on the same inputs. Prints both sets of
// predictions and their max difference, which should be 0: the file holds the exact float32 weights.
// The saved folder is also loadable by TensorFlow.js's own tf.loadLayersModel.
//
//   npm run build   # once
//   npm run example:save-load      [optional: a folder to save into]
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const rc = require('recurrent');

rc.setSeed(5);
const T = 10;

/** n sequences [n, T, 1] of uniform numbers in [0, 1] and their means [n, 1]. */
function makeData(n, seed) {
  const g = new rc.RandomGenerator(seed);
  const x = new Float32Array(n * T);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) x[i * T + t] = g.uniform(0, 1);
    y[i] = x.subarray(i * T, (i + 1) * T).reduce((a, b) => a + b, 0) / T;
  }
  return { x: rc.tensor(x, [n, T, 1]), y: rc.tensor(y, [n, 1]), xs: x, ys: y };
}

async function main() {
  const dir = path.resolve(process.argv[2] || fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-save-load-')));

  // 1. Train.
  const trainSet = makeData(512, 1);
  const model = rc.sequential();
  model.add(rc.layers.lstm({ units: 16, inputShape: [T, 1] }));
  model.add(rc.layers.dense({ units: 1 }));
  model.compile({ optimizer: rc.train.adam(0.01), loss: 'meanSquaredError' });
  const history = await model.fit(trainSet.x, trainSet.y, { epochs: 15, batchSize: 32, seed: 1, verbose: 0 });
  const losses = history.history.loss;
  console.log(`trained: mse ${losses[0].toFixed(5)} -> ${losses[losses.length - 1].toFixed(5)}`);

  // 2. Save: model.json (topology + weights manifest) and weights.bin.
  const result = await model.save('file://' + dir);
  console.log(`saved to ${dir}: ${fs.readdirSync(dir).sort().join(', ')}`);
  if (result && result.modelArtifactsInfo) {
    console.log(`  (${result.modelArtifactsInfo.weightDataBytes} bytes of weights)`);
  }

  // 3. Predict here, and write the same inputs for the fresh process.
  const testSet = makeData(5, 2);
  const here = Array.from(model.predict(testSet.x).dataSync());
  const inputsFile = path.join(dir, 'example_inputs.json');
  fs.writeFileSync(inputsFile, JSON.stringify({ shape: testSet.x.shape, values: Array.from(testSet.xs) }));

  // 4. A fresh Node process loads model.json and predicts (it prints its predictions as JSON).
  const out = execFileSync(process.execPath, [path.join(__dirname, 'save_load_check.js'), dir, inputsFile], { encoding: 'utf8' });
  const there = JSON.parse(out.trim().split('\n').pop());

  const fmt = (a) => a.map((v) => v.toFixed(6)).join('  ');
  console.log(`true means:                 ${fmt(Array.from(testSet.ys))}`);
  console.log(`predicted before saving:    ${fmt(here)}`);
  console.log(`predicted after loading:    ${fmt(there)}   (in a fresh process)`);
  const diff = here.reduce((m, v, i) => Math.max(m, Math.abs(v - there[i])), 0);
  console.log(`max difference: ${diff.toExponential(3)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
