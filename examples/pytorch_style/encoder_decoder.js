// A PyTorch-style Encoder/Decoder (two nn.GRU modules; the encoder's h_n starts the decoder), trained with teacher
// forcing to output its input sequence reversed (the target is built with x.flip([1])). The modules are written the
// way deepbox's documented examples write modules (fields assigned, then registerModule; GRU.forwardWithState →
// [output, h]; GRU.forward(x, h0)).
//
//   npm run build   # once
//   node examples/pytorch_style/encoder_decoder.js
const { nn, noGrad, concat, zeros, randomUniform, setSeed } = require('recurrent');

class Encoder extends nn.Module {
  constructor(inputSize, hiddenSize) {
    super();
    this.rnn = new nn.GRU(inputSize, hiddenSize, { batchFirst: true });
    this.registerModule('rnn', this.rnn);
  }

  forward(x) {
    const [, hn] = this.rnn.forwardWithState(x);
    return hn; // [1, batch, hidden]
  }
}

class Decoder extends nn.Module {
  constructor(outputSize, hiddenSize) {
    super();
    this.rnn = new nn.GRU(outputSize, hiddenSize, { batchFirst: true });
    this.out = new nn.Linear(hiddenSize, outputSize);
    this.registerModule('rnn', this.rnn);
    this.registerModule('out', this.out);
  }

  forward(y, h) {
    return this.out.forward(this.rnn.forward(y, h));
  }
}

class Seq2Seq extends nn.Module {
  constructor(size, hiddenSize) {
    super();
    this.encoder = new Encoder(size, hiddenSize);
    this.decoder = new Decoder(size, hiddenSize);
    this.registerModule('encoder', this.encoder);
    this.registerModule('decoder', this.decoder);
  }

  forward(src, tgtIn) {
    return this.decoder.forward(tgtIn, this.encoder.forward(src));
  }
}

function main({ steps = 150, log = console.log } = {}) {
  setSeed(3);
  const [B, T, F] = [64, 5, 2];
  const src = randomUniform([B, T, F], -1, 1);
  const tgt = src.flip([1]); // the task: reverse the sequence
  const tgtIn = concat([zeros([B, 1, F]), tgt.slice([null, [0, -1]])], 1); // teacher forcing: shifted right
  const model = new Seq2Seq(F, 32);
  const optimizer = new nn.optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new nn.optim.lrScheduler.StepLR(optimizer, { stepSize: 100, gamma: 0.5 });
  const criterion = new nn.MSELoss();
  const initial = noGrad(() => criterion.forward(model.forward(src, tgtIn), tgt)).dataSync()[0];
  let loss;
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    loss = criterion.forward(model.forward(src, tgtIn), tgt);
    loss.backward();
    optimizer.step();
    scheduler.step();
    if (step % 50 === 0) log(`step ${step} loss ${loss.dataSync()[0].toFixed(4)}`);
  }
  const final = noGrad(() => criterion.forward(model.forward(src, tgtIn), tgt)).dataSync()[0];
  log(`initial loss ${initial.toFixed(4)}, final loss: ${final.toFixed(4)}`);
  return { initial, final };
}

if (require.main === module) main();
module.exports = { Encoder, Decoder, Seq2Seq, main };
