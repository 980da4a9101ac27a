/**
 * Runs the PyTorch-style examples in examples/pytorch_style/ (deepbox-style modules with only the import changed)
 * against the TypeScript sources: `require('recurrent')` inside them resolves to packages/recurrent/src. Asserts
 * on what they learn, not only that they run.
 */
import * as path from 'path';

jest.mock('recurrent', () => jest.requireActual('../src/index'), { virtual: true });

const dir = path.join(__dirname, '..', '..', '..', 'examples', 'pytorch_style');
const quiet = { log: (m: string) => process.env.SHOW_EXAMPLES && process.stdout.write(`${m}\n`) };
const TIMEOUT = 120_000;

test('SequenceClassifier (nn.LSTM 2 layers, hn.slice ranges, Adam, clipGradNorm_) learns the sign of a sum', () => {
  const { main } = require(path.join(dir, 'sequence_classifier.js'));
  const { accuracy } = main(quiet);
  expect(accuracy).toBeGreaterThan(0.85);
}, TIMEOUT);

test('Encoder/Decoder (nn.GRU → h_n → nn.GRU, x.flip, StepLR) learns to reverse', () => {
  const { main } = require(path.join(dir, 'encoder_decoder.js'));
  const { initial, final } = main(quiet);
  expect(final).toBeLessThan(0.3 * initial);
}, TIMEOUT);

test('BiLSTM tagger (packed variable-length batch, CrossEntropyLoss ignoreIndex, class dim 1) tags with both directions', () => {
  const { main } = require(path.join(dir, 'bilstm_tagger.js'));
  const { accuracy } = main(quiet);
  expect(accuracy).toBeGreaterThan(0.85);
}, TIMEOUT);
