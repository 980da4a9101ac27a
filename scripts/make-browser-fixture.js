#!/usr/bin/env node
// Writes packages/recurrent/test/browser/fixtures/lstm/: a small LSTM model saved by TensorFlow.js
// (model.json + weights.bin, exactly the files tfjs's file:// / browserDownloads handlers write) and
// expected.json with an input and tfjs's own prediction for it. The browser test serves the folder and
// checks that recurrent.loadLayersModel('http://.../model.json') predicts the same numbers.
// Re-run only to change the fixture: node scripts/make-browser-fixture.js
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const outDir = path.resolve(__dirname, '../packages/recurrent/test/browser/fixtures/lstm');

async function main() {
  await tf.setBackend('cpu');
  const T = 5;
  const F = 2;
  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: 4,
      inputShape: [T, F],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }),
    }),
  );
  model.add(
    tf.layers.dense({
      units: 2,
      activation: 'tanh',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    }),
  );

  const inputShape = [3, T, F];
  const input = Array.from({ length: 3 * T * F }, (_, i) => Math.round(100 * Math.sin(0.37 * i + 0.2)) / 100);
  const output = Array.from(model.predict(tf.tensor3d(input, inputShape)).dataSync());

  let artifacts;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify(modelJson, null, 1) + '\n');
  fs.writeFileSync(path.join(outDir, 'weights.bin'), Buffer.from(artifacts.weightData));
  fs.writeFileSync(
    path.join(outDir, 'expected.json'),
    JSON.stringify({ generatedBy: `TensorFlow.js ${tf.version.tfjs}`, inputShape, input, outputShape: [3, 2], output }, null, 1) + '\n',
  );
  console.log(`wrote ${path.relative(process.cwd(), outDir)}: model.json, weights.bin, expected.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
