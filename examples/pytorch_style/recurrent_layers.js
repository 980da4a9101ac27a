// The recurrent modules as deepbox documents them (its "RNN, LSTM, GRU" example and recurrent API page), with only
// the import changed: new nn.RNN / nn.LSTM / nn.GRU(inputSize, hiddenSize, {numLayers, batchFirst}) (batchFirst
// defaults to true, as deepbox), forward(x) → the output sequence, forwardWithState(x) → [output, h] ([output, [h, c]]
// for the LSTM), unbatched [seq, features] input, noGrad() for inference, and parameters() to count weights.
//
//   npm run build   # once
//   node examples/pytorch_style/recurrent_layers.js
const { nn, noGrad, tensor } = require('recurrent');

function main({ log = console.log } = {}) {
  // Two sequences of three steps with four features: [batch 2, seq 3, features 4].
  const steps = [];
  for (let b = 0; b < 2; b++) {
    const seq = [];
    for (let t = 0; t < 3; t++) seq.push([0, 1, 2, 3].map((f) => (b * 12 + t * 4 + f + 1) / 24));
    steps.push(seq);
  }
  const x = tensor(steps);
  const shapes = {};

  const rnn = new nn.RNN(4, 8, { batchFirst: true });
  const lstm = new nn.LSTM(4, 8, { batchFirst: true });
  const gru = new nn.GRU(4, 8, { batchFirst: true });
  const stacked = new nn.RNN(4, 16, { numLayers: 2, batchFirst: true });
  const defaults = new nn.GRU(4, 8); // batchFirst left out: batch first all the same

  shapes.rnn = noGrad(() => rnn.forward(x)).shape;
  shapes.lstm = noGrad(() => lstm.forward(x)).shape;
  shapes.gru = noGrad(() => gru.forward(x)).shape;
  shapes.stacked = noGrad(() => stacked.forward(x)).shape;
  shapes.defaults = noGrad(() => defaults.forward(x)).shape;

  // One sequence without a batch dimension: [seq 3, features 4] → [seq 3, hidden 8].
  shapes.unbatched = noGrad(() => rnn.forward(tensor(steps[0]))).shape;

  // The final states.
  const [, hRnn] = noGrad(() => rnn.forwardWithState(x));
  const [, [hLstm, cLstm]] = noGrad(() => lstm.forwardWithState(x));
  const [, hStacked] = noGrad(() => stacked.forwardWithState(x));
  shapes.hRnn = hRnn.shape;
  shapes.hLstm = hLstm.shape;
  shapes.cLstm = cLstm.shape;
  shapes.hStacked = hStacked.shape;

  // Scalar weights per module (input and hidden weights, two biases per gate block).
  const countWeights = (m) => Array.from(m.parameters()).reduce((n, p) => n + p.size, 0);
  const weights = { rnn: countWeights(rnn), lstm: countWeights(lstm), gru: countWeights(gru), stacked: countWeights(stacked) };

  for (const [name, shape] of Object.entries(shapes)) log(`${name.padEnd(10)} [${shape.join(', ')}]`);
  log(
    `weights: RNN ${weights.rnn}, LSTM ${weights.lstm} (${weights.lstm / weights.rnn}x), GRU ${weights.gru} (${weights.gru / weights.rnn}x)`,
  );
  return { shapes, weights };
}

if (require.main === module) main();
module.exports = { main };
