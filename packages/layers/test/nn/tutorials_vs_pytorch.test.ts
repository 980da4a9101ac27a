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
 *    decoded step by step with teacher forcing, one Adam per module, then greedy decoding under `noGrad`.
 *
 * Tolerances: PyTorch and we both compute in float32, but with different summation orders (gemm blocking, fused
 * sequence kernels), so each op differs by a few ulps; over 6–8 optimizer steps these differences stay ~1e-6
 * relative in losses, and Adam (which divides by √v) amplifies them in weights whose gradient is tiny. Losses and
 * forward values are compared to 1e-5 (absolute, for values of order 1); weights per element at
 * 1e-4 × max(|PyTorch value|, rms of the tensor), the scale the existing training_vs_pytorch test justifies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { concat, logSoftmax, matMul, noGrad, reshape, slice, softmax, tanh, Tensor, tensor, transpose } from '@recurrent/core';
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
        losses.push(loss.dataSync()[0]);
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
        losses.push(loss.dataSync()[0]);
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
    expectClose(num(first.model.embed.weight), c.initial['embed.weight'].data, 0, 'frozen embedding');
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
