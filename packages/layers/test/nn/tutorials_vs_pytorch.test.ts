/**
 * Three programs written the way the PyTorch NLP tutorials write them, translated line by line to our `nn` API and
 * compared with PyTorch 1.13 runs from the same initial state dicts (fixtures/tutorials.json, written by
 * fixtures/generate_tutorials.py, which describes the programs):
 *  - a character-level GRU language model (Embedding with paddingIdx, truncated BPTT with `detach()` between
 *    chunks, weighted CrossEntropyLoss with ignoreIndex over [batch, classes, time], clipGradNorm_, Adam, StepLR per
 *    epoch), then greedy sampling one character per `forward` under `noGrad`;
 *  - an LSTM part-of-speech tagger (frozen embedding via `requiresGrad_(false)`, packPaddedSequence with
 *    enforceSorted false, 2-layer bidirectional LSTM, logSoftmax + NLLLoss with ignoreIndex over [batch, classes,
 *    time], SGD with two param groups, ExponentialLR), resumed from model + optimizer + scheduler state dicts half way,
 *    and train() / eval() with dropout;
 *  - the seq2seq translation network with Bahdanau attention written by hand (Linear, tanh, softmax, matMul as bmm),
 *    decoded step by step with teacher forcing, one Adam per module, then greedy decoding under `noGrad`;
 *  - both versions of the names classifier (a hand-written RNN stepped per letter with nn.LogSoftmax and a manual
 *    update from `p.grad`; nn.RNN time-major with summed mini-batch losses and clipGradNorm_);
 *  - pytorch/examples' word language model with tied weights (`decoder.weight = encoder.weight`), detached hidden
 *    states between batches;
 *  - the "Sequence Models and LSTM Networks" tagger verbatim (one sentence, time-major LSTM);
 *  - a decoder written with nn.LSTMCell and nn.GRUCell, states carried by hand, AdamW; an unbatched GRUCell step.
 *
 * Tolerances: PyTorch and we both compute in float32, but with different summation orders (gemm blocking, fused
 * sequence kernels), so each op differs by a few ulps; over 6–8 optimizer steps these differences stay ~1e-6
 * relative in losses, and Adam (which divides by √v) amplifies them in weights whose gradient is tiny. Losses and
 * forward values are compared to 1e-5 (absolute, for values of order 1); weights per element at
 * 1e-4 × max(|PyTorch value|, rms of the tensor), the scale the existing training_vs_pytorch test justifies.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  concat,
  logSoftmax,
  matMul,
  noGrad,
  oneHot,
  reshape,
  slice,
  softmax,
  stack,
  tanh,
  Tensor,
  tensor,
  transpose,
  unstack,
  zeros,
} from '@recurrent/core';
import type { Variable } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { expectClose, num } from './helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'tutorials.json'), 'utf8'));

type JSONDict = { [k: string]: { shape: number[]; data: number[] } };

function stateDict(json: JSONDict, prefix = ''): nn.StateDict {
  const sd: nn.StateDict = {};
  for (const [k, v] of Object.entries(json)) sd[prefix + k] = tensor(Float32Array.from(v.data), v.shape, 'float32');
  return sd;
}

function ids(rows: number[][]): Tensor {
  return tensor(Int32Array.from(rows.flat()), [rows.length, rows[0].length], 'int32');
}

/** Per element |ours − PyTorch| / max(|PyTorch|, rms of the tensor) over a state dict; the worst with its key. */
function worstRelative(ours: nn.StateDict, theirs: JSONDict): [number, string] {
  let worst = 0;
  let where = '';
  for (const [k, v] of Object.entries(theirs)) {
    const a = num(ours[k]);
    expect(a.length).toBe(v.data.length);
    const rms = Math.sqrt(v.data.reduce((acc, e) => acc + e * e, 0) / v.data.length) || 1;
    v.data.forEach((e, i) => {
      const d = Math.abs(a[i] - e) / Math.max(Math.abs(e), rms);
      if (d > worst) [worst, where] = [d, k];
    });
  }
  return [worst, where];
}

function expectLosses(ours: number[], theirs: number[]): void {
  expect(ours.length).toBe(theirs.length);
  expectClose(ours, theirs, 1e-5, 'losses');
}

describe('char-level GRU language model (Generating Names tutorial, batched, truncated BPTT)', () => {
  const c = fx.char_rnn;
  class CharRNN extends nn.Module {
    embed = this.registerModule('embed', new nn.Embedding(c.vocab, c.emb, { paddingIdx: 0 }));
    gru = this.registerModule('gru', new nn.GRU(c.emb, c.hidden));
    out = this.registerModule('out', new nn.Linear(c.hidden, c.vocab));
    forward(x: Tensor, h: Tensor | null = null): [Tensor, Tensor] {
      const [o, hN] = this.gru.forwardWithState(this.embed.forward(x), h);
      return [this.out.forward(o), hN];
    }
  }
  const names = ids(c.names);
  const [B, L] = names.shape;
  const xAll = slice(names, [0, 0], [B, L - 1]);
  const yAll = slice(names, [0, 1], [B, L - 1]);

  function train(): { model: CharRNN; losses: number[]; norms: number[]; lrs: number[] } {
    const model = new CharRNN();
    model.loadStateDict(stateDict(c.initial));
    const criterion = new nn.CrossEntropyLoss({ weight: c.classWeight, ignoreIndex: 0 });
    const opt = new nn.optim.Adam(model.parameters(), { lr: 0.02 });
    const sched = new nn.optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.7 });
    const losses: number[] = [];
    const norms: number[] = [];
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      let h: Tensor | null = null;
      for (let s = 0; s < 8; s += 4) {
        if (h) h = h.detach();
        opt.zeroGrad();
        let logits: Tensor;
        [logits, h] = model.forward(slice(xAll, [0, s], [B, 4]), h);
        const loss = criterion.forward(transpose(logits, [0, 2, 1]), slice(yAll, [0, s], [B, 4]));
        loss.backward();
        norms.push(nn.utils.clipGradNorm_(model.parameters(), 0.5));
        opt.step();
        losses.push(loss.item());
      }
      sched.step();
      lrs.push(sched.getLastLr()[0]);
    }
    return { model, losses, norms, lrs };
  }
  const run = train();

  test('losses, gradient norms, lr per epoch, last gradients (padding row zero) and final weights match', () => {
    expectLosses(run.losses, c.losses);
    expectClose(run.norms, c.gradNorms, 1e-5, 'clipGradNorm_ total norms');
    expectClose(run.lrs, c.lrs, 1e-12, 'StepLR');
    for (const [k, p] of run.model.namedParameters()) expectClose(num(p.grad as Tensor), c.lastGrads[k], 1e-5, `grad ${k}`);
    // PyTorch: the padding row of an Embedding receives no gradient.
    expect(num(run.model.embed.weight.grad as Tensor).slice(0, c.emb)).toEqual(new Array(c.emb).fill(0));
    const [worst, where] = worstRelative(run.model.stateDict(), c.final);
    expect([worst < 1e-4, where]).toEqual([true, where]);
  });

  test('greedy sampling, one forward per character with the hidden state carried by hand under noGrad', () => {
    const model = run.model.eval();
    const sampled: number[] = [];
    const logitsSeen: number[] = [];
    noGrad(() => {
      let tok = ids([[1]]);
      let h: Tensor | null = null;
      for (let i = 0; i < 6; i++) {
        let logits: Tensor;
        [logits, h] = model.forward(tok, h);
        expect(logits.requiresGrad).toBe(false);
        logitsSeen.push(...num(logits));
        const next = logits.argMax(-1);
        sampled.push(next.dataSync()[0]);
        tok = reshape(next, [1, 1]);
      }
    });
    expect(sampled).toEqual(c.sampled);
    expectClose(logitsSeen, c.sampleLogits.flat(), 1e-5, 'sample logits');
  });

  test("CrossEntropyLoss(weight, ignoreIndex) over [batch, classes, time]: 'mean', 'sum' and 'none' match", () => {
    const [logits] = noGrad(() => run.model.forward(xAll));
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const l = new nn.CrossEntropyLoss({ weight: c.classWeight, ignoreIndex: 0, reduction }).forward(transpose(logits, [0, 2, 1]), yAll);
      expect(l.shape).toEqual(reduction === 'none' ? [B, L - 1] : []);
      expectClose(num(l), c.reductions[reduction], 1e-5, reduction);
    }
  });
});

describe('LSTM part-of-speech tagger (Sequence Models tutorial: packed, bidirectional, frozen embedding)', () => {
  const c = fx.pos_tagger;
  class Tagger extends nn.Module {
    embed = this.registerModule('embed', new nn.Embedding(c.vocab, c.emb, { paddingIdx: 0 }));
    lstm: nn.LSTM;
    head = this.registerModule('head', new nn.Linear(2 * c.hidden, c.tags));
    constructor(dropout: number) {
      super();
      this.lstm = this.registerModule('lstm', new nn.LSTM(c.emb, c.hidden, { numLayers: 2, bidirectional: true, dropout }));
    }
    forward(x: Tensor, lengths: number[]): Tensor {
      const packed = nn.utils.rnn.packPaddedSequence(this.embed.forward(x), lengths, { batchFirst: true, enforceSorted: false });
      const [o] = nn.utils.rnn.padPackedSequence(this.lstm.forward(packed), { batchFirst: true, totalLength: x.shape[1] });
      return logSoftmax(this.head.forward(o), 2);
    }
  }
  function batch(idx: number[]): [Tensor, Tensor, number[]] {
    const sel = idx.map((i) => c.sentences[i] as [number[], number[]]);
    const T = Math.max(...sel.map(([s]) => s.length));
    const pad = (a: number[], v: number) => [...a, ...new Array(T - a.length).fill(v)];
    return [ids(sel.map(([s]) => pad(s, 0))), ids(sel.map(([, t]) => pad(t, -1))), sel.map(([s]) => s.length)];
  }
  /** The PyTorch script's setup: frozen embedding, then the optimizer with two groups, then the scheduler. */
  function setup(initial: nn.StateDict) {
    const model = new Tagger(0);
    model.loadStateDict(initial);
    model.embed.weight.requiresGrad_(false);
    const opt = new nn.optim.SGD(
      [{ params: model.lstm.parameters(), lr: 0.05 }, { params: [...model.embed.parameters(), ...model.head.parameters()] }],
      { lr: 0.2, momentum: 0.9 },
    );
    const sched = new nn.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.8 });
    return { model, opt, sched };
  }
  const nll = new nn.NLLLoss({ ignoreIndex: -1 });
  function epochs(s: ReturnType<typeof setup>, from: number, to: number, losses: number[], lrs: number[][]): void {
    for (let epoch = from; epoch < to; epoch++) {
      s.model.train();
      for (const idx of c.batches as number[][]) {
        const [x, y, lens] = batch(idx);
        s.opt.zeroGrad();
        const loss = nll.forward(transpose(s.model.forward(x, lens), [0, 2, 1]), y);
        loss.backward();
        s.opt.step();
        losses.push(loss.item());
      }
      s.sched.step();
      lrs.push(s.opt.paramGroups.map((g) => g.lr));
    }
  }

  test('4 epochs, resumed after 2 from model + optimizer + scheduler state dicts, match one PyTorch run', () => {
    const losses: number[] = [];
    const lrs: number[][] = [];
    const first = setup(stateDict(c.initial));
    epochs(first, 0, 2, losses, lrs);
    let [worst, where] = worstRelative(first.model.stateDict(), c.afterEpoch2);
    expect([worst < 1e-4, where]).toEqual([true, where]);
    // The frozen embedding got no gradient and did not move.
    expect(first.model.embed.weight.grad).toBeNull();
    expectClose(num(first.model.embed.weight), Float32Array.from(c.initial['embed.weight'].data), 0, 'frozen embedding');
    // Checkpoint and resume in a fresh model, optimizer and scheduler (as a PyTorch user does with torch.save/load).
    const checkpoint = { model: first.model.stateDict(), opt: first.opt.stateDict(), sched: first.sched.stateDict() };
    const second = setup(stateDict(c.initial));
    second.model.loadStateDict(checkpoint.model);
    second.opt.loadStateDict(checkpoint.opt);
    second.sched.loadStateDict(checkpoint.sched);
    epochs(second, 2, 4, losses, lrs);
    expectLosses(losses, c.losses);
    expectClose(lrs.flat(), c.lrs.flat(), 1e-12, 'ExponentialLR per group');
    [worst, where] = worstRelative(second.model.stateDict(), c.final);
    expect([worst < 1e-4, where]).toEqual([true, where]);
  });

  test('eval() scores and predictions under noGrad; dropout between layers only in train()', () => {
    const model = new Tagger(0);
    model.loadStateDict(stateDict(c.final));
    model.eval();
    const [x, , lens] = batch(c.evalBatch);
    const scores = noGrad(() => model.forward(x, lens));
    expectClose(num(scores), c.evalScores, 1e-5, 'eval scores');
    expect(scores.argMax(2).arraySync()).toEqual(c.evalPreds);
    // dropout 1: eval ignores it; train zeroes layer 0's output, so layer 1 sees zeros (deterministic in both).
    const dropped = new Tagger(1);
    dropped.loadStateDict(stateDict(c.final));
    const [xd, , lensd] = batch(c.dropBatch);
    expectClose(num(noGrad(() => dropped.eval().forward(xd, lensd))), c.dropEval, 1e-5, 'dropout 1, eval()');
    expectClose(num(noGrad(() => dropped.train().forward(xd, lensd))), c.dropTrain, 1e-5, 'dropout 1, train()');
  });
});

describe('seq2seq translation with Bahdanau attention (NLP From Scratch tutorial)', () => {
  const c = fx.seq2seq_attention;
  const SOS = 0;
  class EncoderRNN extends nn.Module {
    embedding = this.registerModule('embedding', new nn.Embedding(c.srcVocab, c.hidden));
    gru = this.registerModule('gru', new nn.GRU(c.hidden, c.hidden));
    forward(x: Tensor): [Tensor, Tensor] {
      return this.gru.forwardWithState(this.embedding.forward(x));
    }
  }
  class BahdanauAttention extends nn.Module {
    Wa = this.registerModule('Wa', new nn.Linear(c.hidden, c.hidden));
    Ua = this.registerModule('Ua', new nn.Linear(c.hidden, c.hidden));
    Va = this.registerModule('Va', new nn.Linear(c.hidden, 1));
    /** query [batch, 1, hidden], keys [batch, srcLen, hidden] → context [batch, 1, hidden], weights [batch, 1, srcLen]. */
    forward(query: Tensor, keys: Tensor): [Tensor, Tensor] {
      const scores = this.Va.forward(tanh(this.Wa.forward(query).add(this.Ua.forward(keys)))); // [batch, srcLen, 1]
      const weights = softmax(transpose(scores, [0, 2, 1]), -1); // PyTorch: scores.squeeze(2).unsqueeze(1)
      return [matMul(weights, keys), weights]; // torch.bmm
    }
  }
  class AttnDecoderRNN extends nn.Module {
    embedding = this.registerModule('embedding', new nn.Embedding(c.tgtVocab, c.hidden));
    attention = this.registerModule('attention', new BahdanauAttention());
    gru = this.registerModule('gru', new nn.GRU(2 * c.hidden, c.hidden));
    out = this.registerModule('out', new nn.Linear(c.hidden, c.tgtVocab));
    forwardStep(input: Tensor, hidden: Tensor, encOut: Tensor): [Tensor, Tensor, Tensor] {
      const embedded = this.embedding.forward(input);
      const query = transpose(hidden, [1, 0, 2]); // hidden.permute(1, 0, 2)
      const [context, w] = this.attention.forward(query, encOut);
      const [o, h] = this.gru.forwardWithState(concat([embedded, context], 2), hidden);
      return [this.out.forward(o), h, w];
    }
    /** Log-probabilities [batch, steps, vocab] and attention [batch, steps, srcLen]; teacher forcing with `target`. */
    forward(encOut: Tensor, encHidden: Tensor, target: Tensor | null = null, steps = 4): [Tensor, Tensor] {
      const B = encOut.shape[0];
      let decIn = tensor(new Int32Array(B).fill(SOS), [B, 1], 'int32');
      let hidden = encHidden;
      const outs: Tensor[] = [];
      const attn: Tensor[] = [];
      for (let i = 0; i < steps; i++) {
        let o: Tensor;
        let w: Tensor;
        [o, hidden, w] = this.forwardStep(decIn, hidden, encOut);
        outs.push(o);
        attn.push(w);
        decIn = target ? slice(target, [0, i], [B, 1]) : o.argMax(-1).detach(); // o.topk(1) → [batch, 1]
      }
      return [logSoftmax(concat(outs, 1), -1), concat(attn, 1)];
    }
  }
  const src = ids(c.src);
  const tgt = ids(c.tgt);

  test('6 steps with two Adams: losses, the last gradients and final weights match; greedy decoding under noGrad too', () => {
    const enc = new EncoderRNN();
    const dec = new AttnDecoderRNN();
    enc.loadStateDict(stateDict(c.encoderInitial));
    dec.loadStateDict(stateDict(c.decoderInitial));
    const eopt = new nn.optim.Adam(enc.parameters(), { lr: 0.01 });
    const dopt = new nn.optim.Adam(dec.parameters(), { lr: 0.01 });
    const crit = new nn.NLLLoss();
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      eopt.zeroGrad();
      dopt.zeroGrad();
      const [encOut, encH] = enc.forward(src);
      const [logp] = dec.forward(encOut, encH, tgt);
      const loss = crit.forward(reshape(logp, [-1, c.tgtVocab]), reshape(tgt, [-1])); // logp.view(-1, V), tgt.view(-1)
      loss.backward();
      eopt.step();
      dopt.step();
      losses.push(loss.item());
    }
    expectLosses(losses, c.losses);
    for (const [prefix, m] of [
      ['encoder', enc],
      ['decoder', dec],
    ] as const) {
      for (const [k, p] of m.namedParameters(prefix)) expectClose(num(p.grad as Tensor), c.lastGrads[k], 1e-5, `grad ${k}`);
    }
    let [worst, where] = worstRelative(enc.stateDict(), c.encoderFinal);
    expect([worst < 1e-4, where]).toEqual([true, where]);
    // attention.Va.bias adds the same number to every score, which softmax cancels: its gradient is 0 up to float32
    // rounding (PyTorch's last one: -1.4e-9), and Adam, dividing by √v, turns that rounding noise into full steps of
    // size lr in whatever direction the noise points. Its value is noise in PyTorch too; we check the gradient (above,
    // |ours − PyTorch| < 1e-5 ⇒ ~0) and that it moved by at most Adam's bound of lr per step.
    const { ['attention.Va.bias']: vaBias, ...decoderFinal } = c.decoderFinal;
    [worst, where] = worstRelative(dec.stateDict(), decoderFinal);
    expect([worst < 1e-4, where]).toEqual([true, where]);
    const vaMoved = Math.abs(num(dec.attention.Va.bias!)[0] - c.decoderInitial['attention.Va.bias'].data[0]);
    expect(vaMoved).toBeLessThanOrEqual(6 * 0.01 * 1.001);
    expect(Math.abs(vaBias.data[0] - c.decoderInitial['attention.Va.bias'].data[0])).toBeLessThanOrEqual(6 * 0.01 * 1.001);

    enc.eval();
    dec.eval();
    const [logp, attn] = noGrad(() => {
      const [encOut, encH] = enc.forward(src);
      return dec.forward(encOut, encH);
    });
    expectClose(num(logp), c.greedyLogProbs, 1e-5, 'greedy log-probabilities');
    expectClose(num(attn), c.greedyAttention, 1e-5, 'attention weights');
    expect(logp.argMax(-1).arraySync()).toEqual(c.decoded);
  });
});

describe('classifying names with a character-level RNN (both versions of the tutorial)', () => {
  const c = fx.names_classifier;
  const criterion = new nn.NLLLoss();
  /** A name as one-hot letters [len, 1, letters] (the tutorial's lineToTensor). */
  const lineTensor = (letters: number[]) =>
    reshape(oneHot(tensor(Int32Array.from(letters), [letters.length], 'int32'), c.letters, 1, 0, 'float32'), [
      letters.length,
      1,
      c.letters,
    ]);
  const names = c.names as [number[], number][];

  test('the classic hand-written RNN: forward per letter, zeroGrad on the module, manual update from p.grad', () => {
    class ClassicRNN extends nn.Module {
      i2h = this.registerModule('i2h', new nn.Linear(c.letters + c.hidden, c.hidden));
      i2o = this.registerModule('i2o', new nn.Linear(c.letters + c.hidden, c.categories));
      softmax = this.registerModule('softmax', new nn.LogSoftmax(1));
      forward(input: Tensor, hidden: Tensor): [Tensor, Tensor] {
        const combined = concat([input, hidden], 1);
        return [this.softmax.forward(this.i2o.forward(combined)), this.i2h.forward(combined)];
      }
      initHidden(): Tensor {
        return zeros([1, c.hidden]);
      }
    }
    const rnn = new ClassicRNN();
    rnn.loadStateDict(stateDict(c.classicInitial));
    const losses: number[] = [];
    const classify = (letters: number[]) => {
      let hidden = rnn.initHidden();
      let output = hidden;
      for (const letter of unstack(lineTensor(letters))) [output, hidden] = rnn.forward(letter, hidden);
      return output;
    };
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const [letters, category] of names) {
        rnn.zeroGrad();
        const loss = criterion.forward(classify(letters), [category]);
        loss.backward();
        // p.data.add_(p.grad.data, alpha=-learning_rate)
        noGrad(() => rnn.parameters().forEach((p) => p.assign(p.sub(p.grad!.mul(0.1)))));
        losses.push(loss.item());
      }
    }
    expectLosses(losses, c.classicLosses);
    const [worst, where] = worstRelative(rnn.stateDict(), c.classicFinal);
    expect([worst < 1e-5, where]).toEqual([true, where]);
    expectClose(num(noGrad(() => classify([4, 1, 1, 5]))), c.classicEval, 1e-5, 'evaluate');
  });

  test('the nn.RNN version: time-major input (batchFirst false), summed mini-batch losses, clipGradNorm_, SGD', () => {
    class CharRNN extends nn.Module {
      rnn = this.registerModule('rnn', new nn.RNN(c.letters, c.hidden, { batchFirst: false }));
      h2o = this.registerModule('h2o', new nn.Linear(c.hidden, c.categories));
      softmax = this.registerModule('softmax', new nn.LogSoftmax(1));
      forward(line: Tensor): Tensor {
        const [, hidden] = this.rnn.forwardWithState(line);
        return this.softmax.forward(this.h2o.forward(unstack(hidden)[0]));
      }
    }
    const model = new CharRNN();
    model.loadStateDict(stateDict(c.modernInitial));
    const opt = new nn.optim.SGD(model.parameters(), { lr: 0.2 });
    const losses: number[] = [];
    model.train();
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const batchIdx of [
        [0, 1, 2],
        [3, 4, 5],
      ]) {
        let batchLoss: Tensor | null = null;
        for (const i of batchIdx) {
          const [letters, category] = names[i];
          const l = criterion.forward(model.forward(lineTensor(letters)), [category]);
          batchLoss = batchLoss ? batchLoss.add(l) : l;
        }
        batchLoss!.backward();
        nn.utils.clipGradNorm_(model.parameters(), 3);
        opt.step();
        opt.zeroGrad();
        losses.push(batchLoss!.item() / batchIdx.length);
      }
    }
    expectLosses(losses, c.modernLosses);
    const [worst, where] = worstRelative(model.stateDict(), c.modernFinal);
    expect([worst < 1e-5, where]).toEqual([true, where]);
    model.eval();
    expectClose(
      noGrad(() => names.flatMap(([letters]) => num(model.forward(lineTensor(letters))))),
      c.modernEval.flat(),
      1e-5,
      'evaluate',
    );
  });
});

describe('word language model with tied weights (pytorch/examples word_language_model)', () => {
  const c = fx.tied_lm;
  class RNNModel extends nn.Module {
    drop = this.registerModule('drop', new nn.Dropout(0.3));
    encoder = this.registerModule('encoder', new nn.Embedding(c.ntoken, c.ninp));
    rnn = this.registerModule('rnn', new nn.LSTM(c.ninp, c.ninp, { numLayers: 2, dropout: 0.3, batchFirst: false }));
    decoder = this.registerModule('decoder', new nn.Linear(c.ninp, c.ntoken));
    constructor(tie: (m: RNNModel) => void) {
      super();
      tie(this);
    }
    forward(input: Tensor, hidden: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
      const emb = this.drop.forward(this.encoder.forward(input));
      const [output, state] = this.rnn.forwardWithState(emb, hidden);
      const logits = this.decoder.forward(this.drop.forward(output));
      return [reshape(logSoftmax(logits, -1), [-1, c.ntoken]), state];
    }
  }
  function run(tie: (m: RNNModel) => void): void {
    const lm = new RNNModel(tie);
    // Tied: one parameter listed once (PyTorch's named_parameters), the state dict has both names.
    expect(lm.namedParameters().map(([k]) => k)).toEqual(c.parameterNames);
    lm.loadStateDict(stateDict(c.initial));
    const nb = Math.floor(c.corpus.length / c.bsz);
    const data = transpose(reshape(tensor(Int32Array.from(c.corpus.slice(0, nb * c.bsz)), [nb * c.bsz], 'int32'), [c.bsz, nb]));
    lm.eval();
    let hidden: [Tensor, Tensor] = [zeros([2, c.bsz, c.ninp]), zeros([2, c.bsz, c.ninp])];
    const losses: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let i = 0; i < nb - 1; i += c.bptt) {
        const seqLen = Math.min(c.bptt, nb - 1 - i);
        const input = slice(data, [i, 0], [seqLen, c.bsz]);
        const target = reshape(slice(data, [i + 1, 0], [seqLen, c.bsz]), [-1]);
        hidden = [hidden[0].detach(), hidden[1].detach()]; // repackage_hidden
        lm.zeroGrad();
        let output: Tensor;
        [output, hidden] = lm.forward(input, hidden);
        const loss = new nn.NLLLoss().forward(output, target);
        loss.backward();
        nn.utils.clipGradNorm_(lm.parameters(), 0.25);
        noGrad(() => lm.parameters().forEach((p) => p.assign(p.sub(p.grad!.mul(0.5)))));
        losses.push(loss.item());
      }
    }
    expectLosses(losses, c.losses);
    for (const [k, p] of lm.namedParameters()) expectClose(num(p.grad as Tensor), c.lastGrads[k], 1e-5, `grad ${k}`);
    const final = lm.stateDict();
    expect(Object.keys(final)).toEqual(Object.keys(c.final));
    const [worst, where] = worstRelative(final, c.final);
    expect([worst < 1e-5, where]).toEqual([true, where]);
  }

  test('tied with registerParameter (a Variable is shared)', () => {
    run((m) => m.decoder.registerParameter('weight', m.encoder.weight));
  });

  test('tied as PyTorch writes it: decoder.weight = encoder.weight; a weight of the wrong shape is refused', () => {
    run((m) => (m.decoder.weight = m.encoder.weight));
    const lin = new nn.Linear(4, 9);
    expect(() => (lin.weight = new nn.Embedding(4, 9).weight)).toThrow(
      'nn.Linear: weight must be a Tensor (a Variable to share it) of shape [9,4], received shape [4,9].',
    );
    expect(() => (new nn.Embedding(9, 4).weight = null as unknown as Variable)).toThrow(
      'nn.Embedding: weight must be a Tensor (a Variable to share it) of shape [9,4], received null.',
    );
  });
});

describe('"Sequence Models and LSTM Networks" tagger exactly as the tutorial writes it (one sentence, time-major)', () => {
  const c = fx.lstm_tagger_tutorial;
  class LSTMTagger extends nn.Module {
    wordEmbeddings = this.registerModule('word_embeddings', new nn.Embedding(c.vocab, 6));
    // PyTorch's nn.LSTM(6, 6) is time-major; here batchFirst defaults to true, so the port says batchFirst: false.
    lstm = this.registerModule('lstm', new nn.LSTM(6, 6, { batchFirst: false }));
    hidden2tag = this.registerModule('hidden2tag', new nn.Linear(6, 3));
    forward(sentence: Tensor): Tensor {
      const n = sentence.shape[0];
      const embeds = this.wordEmbeddings.forward(sentence);
      const lstmOut = this.lstm.forward(reshape(embeds, [n, 1, -1]));
      return logSoftmax(this.hidden2tag.forward(reshape(lstmOut, [n, -1])), 1);
    }
  }
  const seq = (ix: number[]) => tensor(Int32Array.from(ix), [ix.length], 'int32');

  test('5 epochs of SGD: losses, final weights and tag scores before / after under noGrad match', () => {
    const model = new LSTMTagger();
    model.loadStateDict(stateDict(c.initial));
    const lossFunction = new nn.NLLLoss();
    const optimizer = new nn.optim.SGD(model.parameters(), { lr: 0.1 });
    expectClose(num(noGrad(() => model.forward(seq(c.sentences[0])))), c.scoresBefore, 1e-6, 'scores before');
    const losses: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      c.sentences.forEach((sentence: number[], i: number) => {
        model.zeroGrad();
        const loss = lossFunction.forward(model.forward(seq(sentence)), seq(c.tags[i]));
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      });
    }
    expectLosses(losses, c.losses);
    const [worst, where] = worstRelative(model.stateDict(), c.final);
    expect([worst < 1e-5, where]).toEqual([true, where]);
    expectClose(num(noGrad(() => model.forward(seq(c.sentences[0])))), c.scoresAfter, 1e-5, 'scores after');
  });
});

describe('a decoder written with cells (nn.LSTMCell -> nn.GRUCell, states carried by hand)', () => {
  const c = fx.cell_decoder;
  class CellDecoder extends nn.Module {
    embed = this.registerModule('embed', new nn.Embedding(6, 4));
    lstmCell = this.registerModule('lstm_cell', new nn.LSTMCell(4, 5));
    gruCell = this.registerModule('gru_cell', new nn.GRUCell(5, 5));
    out = this.registerModule('out', new nn.Linear(5, 6));
    forward(tokens: Tensor): Tensor {
      const [B, T] = tokens.shape;
      let [h, cc, g] = [zeros([B, 5]), zeros([B, 5]), zeros([B, 5])];
      const outs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        [h, cc] = this.lstmCell.forward(this.embed.forward(reshape(slice(tokens, [0, t], [B, 1]), [B])), [h, cc]);
        g = this.gruCell.forward(h, g);
        outs.push(this.out.forward(g));
      }
      return stack(outs, 1);
    }
  }

  test('5 AdamW steps: losses, last gradients and final weights match; an unbatched GRUCell step too', () => {
    const model = new CellDecoder();
    model.loadStateDict(stateDict(c.initial));
    const tokens = ids(c.tokens);
    const [B, L] = tokens.shape;
    const opt = new nn.optim.AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.01 });
    const crit = new nn.CrossEntropyLoss();
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      opt.zeroGrad();
      const logits = model.forward(slice(tokens, [0, 0], [B, L - 1]));
      const loss = crit.forward(transpose(logits, [0, 2, 1]), slice(tokens, [0, 1], [B, L - 1]));
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expectLosses(losses, c.losses);
    for (const [k, p] of model.namedParameters()) expectClose(num(p.grad as Tensor), c.lastGrads[k], 1e-5, `grad ${k}`);
    const [worst, where] = worstRelative(model.stateDict(), c.final);
    expect([worst < 1e-4, where]).toEqual([true, where]);
    const f32t = (v: number[]) => tensor(Float32Array.from(v), [v.length], 'float32');
    const hNext = noGrad(() => model.gruCell.forward(f32t(c.unbatchedInput), f32t(c.unbatchedHidden)));
    expect(hNext.shape).toEqual([5]);
    expectClose(num(hNext), c.unbatchedOutput, 1e-6, 'unbatched GRUCell');
  });
});
