/** PyTorch habits on the top-level Keras-style classes (numbers where an args object goes) point to the nn module. */
import { Dense, Embedding, GRU, Linear, LSTM, LSTMCell, RNN, SimpleRNN } from '@recurrent/layers';

const cases: [string, () => unknown, RegExp][] = [
  [
    'LSTM',
    () => new (LSTM as any)(10, 20),
    /^LSTM: expected an args object like \{units: 10\}, received the number 10\. The top-level LSTM is the Keras-style layer; did you mean nn\.LSTM\(inputSize, hiddenSize\)\?/,
  ],
  ['GRU', () => new (GRU as any)(10, 20), /did you mean nn\.GRU\(inputSize, hiddenSize\)\?/],
  ['SimpleRNN', () => new (SimpleRNN as any)(10, 20), /did you mean nn\.RNN\(inputSize, hiddenSize\)\?/],
  ['RNN', () => new (RNN as any)(10, 20), /^RNN: expected an args object like \{cell\}.*did you mean nn\.RNN\(inputSize, hiddenSize\)\?/],
  ['LSTMCell', () => new (LSTMCell as any)(10, 20), /did you mean nn\.LSTMCell\(inputSize, hiddenSize\)\?/],
  [
    'Dense',
    () => new (Dense as any)(10, 20),
    /^Dense: expected an args object like \{units: 10\}.*did you mean nn\.Linear\(inFeatures, outFeatures\)\?/,
  ],
  ['Embedding', () => new (Embedding as any)(100, 8), /did you mean nn\.Embedding\(numEmbeddings, embeddingDim\)\?/],
  [
    'Linear',
    () => new (Linear as any)(10, 20),
    /^Linear: the top-level Linear is the linear activation function.*received 10, 20; did you mean nn\.Linear\(inFeatures, outFeatures\)\?/,
  ],
];
for (const [name, f, re] of cases) test(name, () => expect(f).toThrow(re));

test('the args-object forms still work', () => {
  expect(new LSTM({ units: 3 }).units).toBe(3);
  expect(new Linear().getClassName()).toBe('linear');
});
