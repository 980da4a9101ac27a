// A PyTorch-style sequence classifier (nn.Module + nn.LSTM + nn.Linear), trained with the loop PyTorch users know:
// zeroGrad → forward → loss.backward() → clipGradNorm_ → step. The module is written the way deepbox's documented
// examples write modules (fields assigned, then registerModule; LSTM.forwardWithState → [output, [h, c]]; batchFirst
// is deepbox's default). Task: is the sum of the first feature over the sequence positive?
//
//   npm run build   # once
//   node examples/pytorch_style/sequence_classifier.js
const { nn, noGrad, tensor, RandomGenerator, setSeed } = require('recurrent');

class SequenceClassifier extends nn.Module {
  constructor(inputSize, hiddenSize, numClasses) {
    super();
    this.lstm = new nn.LSTM(inputSize, hiddenSize, { numLayers: 2, batchFirst: true });
    this.fc = new nn.Linear(hiddenSize, numClasses);
    this.registerModule('lstm', this.lstm);
    this.registerModule('fc', this.fc);
    this.hiddenSize = hiddenSize;
  }

  forward(x) {
    const [, [hn]] = this.lstm.forwardWithState(x);
    // hn: [numLayers, batch, hidden]; keep the last layer's state.
    const last = hn
      .slice([
        [-1, null],
        [0, null],
        [0, null],
      ])
      .reshape([x.shape[0], this.hiddenSize]);
    return this.fc.forward(last);
  }
}

function makeData(n, T, seed) {
  const g = new RandomGenerator(seed);
  const x = new Float32Array(n * T * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      const v = g.uniform(-1, 1);
      x[(i * T + t) * 2] = v;
      x[(i * T + t) * 2 + 1] = g.uniform(-1, 1);
      s += v;
    }
    y[i] = s > 0 ? 1 : 0;
  }
  return { x: tensor(x, [n, T, 2], 'float32'), y: tensor(y, [n], 'int32') };
}

function main({ epochs = 60, log = console.log } = {}) {
  setSeed(7);
  const train = makeData(128, 8, 1);
  const test = makeData(128, 8, 2);
  const model = new SequenceClassifier(2, 16, 2);
  const optimizer = new nn.optim.Adam(model.parameters(), { lr: 0.02 });
  const criterion = new nn.CrossEntropyLoss();
  let loss;
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    optimizer.zeroGrad();
    loss = criterion.forward(model.forward(train.x), train.y);
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    if (epoch % 20 === 0) log(`epoch ${epoch} loss ${loss.dataSync()[0].toFixed(4)}`);
  }
  model.eval();
  const pred = noGrad(() => model.forward(test.x))
    .argMax(1)
    .dataSync();
  const truth = test.y.dataSync();
  let correct = 0;
  for (let i = 0; i < truth.length; i++) correct += pred[i] === truth[i] ? 1 : 0;
  const accuracy = correct / truth.length;
  log(`final loss ${loss.dataSync()[0].toFixed(4)}, held-out accuracy: ${accuracy.toFixed(4)}`);
  return { loss: loss.dataSync()[0], accuracy };
}

if (require.main === module) main();
module.exports = { SequenceClassifier, main };
