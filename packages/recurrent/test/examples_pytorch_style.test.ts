/**
 * Runs the PyTorch-style examples in examples/pytorch_style/ (modules written the way deepbox's documented examples
 * write them, with only the import changed) against the TypeScript sources: `require('recurrent')` inside them
 * resolves to packages/recurrent/src. Asserts on what they compute or learn, not only that they run.
 */
import * as path from 'path';

jest.mock('recurrent', () => jest.requireActual('../src/index'), { virtual: true });

const dir = path.join(__dirname, '..', '..', '..', 'examples', 'pytorch_style');
const quiet = { log: (m: string) => process.env.SHOW_EXAMPLES && process.stdout.write(`${m}\n`) };
const TIMEOUT = 120_000;

test(
  'SequenceClassifier (nn.LSTM 2 layers, hn.slice ranges, Adam, clipGradNorm_) learns the sign of a sum',
  () => {
    const { main } = require(path.join(dir, 'sequence_classifier.js'));
    const { accuracy } = main(quiet);
    expect(accuracy).toBeGreaterThan(0.85);
  },
  TIMEOUT,
);

test(
  'Encoder/Decoder (nn.GRU → h_n → nn.GRU, x.flip, StepLR) learns to reverse',
  () => {
    const { main } = require(path.join(dir, 'encoder_decoder.js'));
    const { initial, final } = main(quiet);
    expect(final).toBeLessThan(0.3 * initial);
  },
  TIMEOUT,
);

test(
  'BiLSTM tagger (packed variable-length batch, CrossEntropyLoss ignoreIndex, class dim 1) tags with both directions',
  () => {
    const { main } = require(path.join(dir, 'bilstm_tagger.js'));
    const { accuracy } = main(quiet);
    expect(accuracy).toBeGreaterThan(0.85);
  },
  TIMEOUT,
);

test("deepbox's documented recurrent API (RNN/LSTM/GRU, batchFirst default, numLayers, unbatched input, forwardWithState, parameters)", () => {
  const { main } = require(path.join(dir, 'recurrent_layers.js'));
  const { shapes, weights } = main(quiet);
  expect(shapes).toEqual({
    rnn: [2, 3, 8],
    lstm: [2, 3, 8],
    gru: [2, 3, 8],
    stacked: [2, 3, 16],
    defaults: [2, 3, 8],
    unbatched: [3, 8],
    hRnn: [1, 2, 8],
    hLstm: [1, 2, 8],
    cLstm: [1, 2, 8],
    hStacked: [2, 2, 16],
  });
  // PyTorch's (and deepbox's) count: gates·(hidden·(input + hidden) + 2·hidden) per layer.
  const count = (gates: number, input: number, hidden: number) => gates * (hidden * (input + hidden) + 2 * hidden);
  expect(weights).toEqual({ rnn: count(1, 4, 8), lstm: count(4, 4, 8), gru: count(3, 4, 8), stacked: count(1, 4, 16) + count(1, 16, 16) });
});
