// A PyTorch-style BiLSTM tagger over variable-length sentences: nn.Embedding → bidirectional nn.LSTM on a packed
// batch (nn.utils.rnn.packPaddedSequence) → nn.Linear per token, CrossEntropyLoss with classes in dimension 1 and
// ignoreIndex on the padding. The task needs both directions: tag each token with whether the NEXT token is larger.
// The module is written the way deepbox's documented examples write modules (fields assigned, then registerModule);
// the bidirectional LSTM and packed sequences are PyTorch's API (deepbox's nn.LSTM has no bidirectional option).
//
//   npm run build   # once
//   node examples/pytorch_style/bilstm_tagger.js
const { nn, noGrad, tensor, RandomGenerator, setSeed } = require('recurrent');

const PAD_TAG = -100;

class BiLSTMTagger extends nn.Module {
  constructor(vocabSize, embeddingDim, hiddenSize, numTags) {
    super();
    this.embedding = new nn.Embedding(vocabSize, embeddingDim);
    this.lstm = new nn.LSTM(embeddingDim, hiddenSize, { bidirectional: true, batchFirst: true });
    this.fc = new nn.Linear(2 * hiddenSize, numTags);
    this.registerModule('embedding', this.embedding);
    this.registerModule('lstm', this.lstm);
    this.registerModule('fc', this.fc);
  }

  forward(tokens, lengths) {
    const embedded = this.embedding.forward(tokens); // [batch, seq, embeddingDim]
    const packed = nn.utils.rnn.packPaddedSequence(embedded, lengths, { batchFirst: true, enforceSorted: false });
    const [out] = nn.utils.rnn.padPackedSequence(this.lstm.forward(packed), { batchFirst: true, totalLength: tokens.shape[1] });
    return this.fc.forward(out); // [batch, seq, numTags]
  }
}

function makeData(n, maxLen, vocab, seed) {
  const g = new RandomGenerator(seed);
  const tokens = new Int32Array(n * maxLen);
  const tags = new Int32Array(n * maxLen).fill(PAD_TAG);
  const lengths = [];
  for (let i = 0; i < n; i++) {
    const len = 3 + Math.floor(g.uniform(0, maxLen - 2));
    lengths.push(len);
    for (let t = 0; t < len; t++) tokens[i * maxLen + t] = 1 + Math.floor(g.uniform(0, vocab - 1));
    for (let t = 0; t < len; t++) tags[i * maxLen + t] = t + 1 < len && tokens[i * maxLen + t + 1] > tokens[i * maxLen + t] ? 1 : 0;
  }
  return { tokens: tensor(tokens, [n, maxLen], 'int32'), tags: tensor(tags, [n, maxLen], 'int32'), lengths };
}

function main({ epochs = 60, log = console.log } = {}) {
  setSeed(11);
  const vocab = 10;
  const train = makeData(96, 7, vocab, 1);
  const test = makeData(96, 7, vocab, 2);
  const model = new BiLSTMTagger(vocab, 8, 16, 2);
  const optimizer = new nn.optim.AdamW(model.parameters(), { lr: 0.03 });
  const criterion = new nn.CrossEntropyLoss({ ignoreIndex: PAD_TAG });
  let loss;
  for (let epoch = 0; epoch < epochs; epoch++) {
    optimizer.zeroGrad();
    const logits = model.forward(train.tokens, train.lengths);
    loss = criterion.forward(logits.transpose([0, 2, 1]), train.tags); // classes in dimension 1, as PyTorch
    loss.backward();
    optimizer.step();
    if (epoch % 20 === 0) log(`epoch ${epoch} loss ${loss.dataSync()[0].toFixed(4)}`);
  }
  const pred = noGrad(() => model.forward(test.tokens, test.lengths))
    .argMax(2)
    .dataSync();
  const tags = test.tags.dataSync();
  let correct = 0;
  let total = 0;
  for (let i = 0; i < tags.length; i++) {
    if (tags[i] === PAD_TAG) continue;
    total++;
    correct += pred[i] === tags[i] ? 1 : 0;
  }
  const accuracy = correct / total;
  log(`final loss ${loss.dataSync()[0].toFixed(4)}, held-out token accuracy: ${accuracy.toFixed(4)}`);
  return { loss: loss.dataSync()[0], accuracy };
}

if (require.main === module) main();
module.exports = { BiLSTMTagger, main };
