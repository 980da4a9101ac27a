/**
 * The shared machinery of `nn.RNN`, `nn.LSTM` and `nn.GRU`: PyTorch's parameters and shapes, run through
 * core's fused sequence kernels (one autograd node per layer and direction). The PyTorch-layout parameters
 * are mapped to the kernels' Keras layout inside `forward` with differentiable ops (weight_layout.ts).
 */
import { describeValue, warnOnce } from '../engine/args';
import {
  add,
  formatShape,
  gruSequence,
  lstmSequence,
  matMul,
  mul,
  RandomGenerator,
  reshape,
  reverse,
  rnn,
  shapesEqual,
  sigmoid,
  simpleRNNSequence,
  slice,
  split,
  stack,
  tanh,
  Tensor,
  tensor,
  transpose,
  zeros,
  ValueError,
} from '@recurrent/core';
import { checkFloatTensor, checkInt, checkOptionKeys, dropoutMask, moduleGenerator, uniformTensor } from './init';
import { Module } from './module';
import { concatFeatures, gateCount, RecurrentMode, torchBiasToKeras, torchWeightToKeras } from './weight_layout';
import { RnnStepKernels } from './rnn_step_kernels';
import { packPaddedSequence, PackedSequence, padPackedSequence } from './packed_sequence';

/** Options shared by `nn.RNN`, `nn.LSTM` and `nn.GRU` (PyTorch's keyword arguments, camelCase). */
export interface RNNBaseOptions {
  /** Number of stacked layers (default 1). */
  numLayers?: number;
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  /**
   * Input and output are [batch, seq, feature] (default TRUE here). false gives PyTorch's time-major
   * [seq, batch, feature]. PyTorch note: PyTorch defaults to batch_first=False; the states h0/hN are
   * [D·numLayers, batch, hidden] either way, as in PyTorch.
   */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer except the last, in training mode only (default 0). */
  dropout?: number;
  /** Add a reverse direction to each layer; outputs are concatenated [forward, reverse] (default false). */
  bidirectional?: boolean;
  /**
   * Seed of the module's generator: the initial weights are drawn from it, then its dropout masks.
   * Without a seed both come from core's global generator (reproducible with `setSeed`).
   */
  seed?: number;
}

const BASE_KEYS = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'seed'];

/** The result of running all layers (`output` is a PackedSequence when the input was one). */
export interface RecurrentResult<O = Tensor> {
  output: O;
  hN: Tensor;
  cN: Tensor | null;
}

/** Base class of nn.RNN, nn.LSTM, nn.GRU. */
export abstract class RNNBase extends Module {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** LSTM projection size (0: none). */
  readonly projSize: number;
  /** RNN only: 'tanh' or 'relu' ('tanh' for LSTM/GRU, where it is the candidate/cell activation). */
  readonly nonlinearity: 'tanh' | 'relu';
  private readonly rng: RandomGenerator;
  /** Batch-1 inference through step kernels with resident weights (rnn_step_kernels.ts). */
  private readonly stepKernels: RnnStepKernels;

  protected constructor(
    mode: RecurrentMode,
    inputSize: number,
    hiddenSize: number,
    options: RNNBaseOptions | undefined,
    extraKeys: string[],
    projSize: number,
    nonlinearity: 'tanh' | 'relu',
  ) {
    super();
    const who = `nn.${this.kind()}`;
    checkOptionKeys(who, options, [...BASE_KEYS, ...extraKeys]);
    const o = options ?? {};
    this.mode = mode;
    this.inputSize = checkInt(who, 'inputSize', inputSize, 1);
    this.hiddenSize = checkInt(who, 'hiddenSize', hiddenSize, 1);
    this.numLayers = checkInt(who, 'numLayers', o.numLayers ?? 1, 1);
    this.bias = o.bias ?? true;
    this.batchFirst = o.batchFirst ?? true;
    this.bidirectional = o.bidirectional ?? false;
    const dropout = o.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new ValueError(`${who}: dropout must be a number in [0, 1] (a probability), received ${describeValue(dropout)}.`);
    }
    this.dropout = dropout;
    if (dropout > 0 && this.numLayers === 1) {
      // PyTorch warns the same: the dropout sits between stacked layers, so one layer has none.
      warnOnce(`${who}: dropout ${dropout} has no effect with numLayers 1; it is applied between stacked layers only (numLayers > 1).`);
    }
    this.projSize = checkInt(who, 'projSize', projSize, 0);
    if (this.projSize >= this.hiddenSize) {
      throw new ValueError(`${who}: projSize must be smaller than hiddenSize ${this.hiddenSize}, received ${this.projSize}.`);
    }
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ValueError(`${who}: nonlinearity must be 'tanh' or 'relu', received '${String(nonlinearity)}'.`);
    }
    this.nonlinearity = nonlinearity;
    this.rng = moduleGenerator(o.seed);
    this.stepKernels = new RnnStepKernels(mode, this.hiddenSize, nonlinearity);

    // Parameters in PyTorch's order: per layer, per direction: w_ih, w_hh, b_ih, b_hh, w_hr.
    const G = gateCount(mode);
    const H = this.hiddenSize;
    const Hout = this.outputHiddenSize;
    const D = this.numDirections;
    const bound = 1 / Math.sqrt(H);
    for (let l = 0; l < this.numLayers; l++) {
      const layerInput = l === 0 ? this.inputSize : Hout * D;
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${sfx}`, uniformTensor([G * H, layerInput], bound, this.rng));
        this.registerParameter(`weight_hh${sfx}`, uniformTensor([G * H, Hout], bound, this.rng));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, uniformTensor([G * H], bound, this.rng));
          this.registerParameter(`bias_hh${sfx}`, uniformTensor([G * H], bound, this.rng));
        }
        if (this.projSize > 0) this.registerParameter(`weight_hr${sfx}`, uniformTensor([this.projSize, H], bound, this.rng));
      }
    }
  }

  /** The output sequence for `input` and optional initial states (see nn.RNN / nn.LSTM / nn.GRU). */
  abstract override forward(input: Tensor, ...initialStates: (Tensor | [Tensor, Tensor] | null | undefined)[]): Tensor;
  abstract override forward(input: PackedSequence, ...initialStates: (Tensor | [Tensor, Tensor] | null | undefined)[]): PackedSequence;

  /**
   * PyTorch's `flatten_parameters()`: there, it compacts cuDNN weight memory. Here the parameters are always used
   * in place by the fused kernels, so this is a documented no-op, kept so that PyTorch / lucid code runs unchanged.
   */
  flattenParameters(): void {
    // Nothing to do: see the doc comment.
  }

  /** D: 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Size of h (projSize when projecting, else hiddenSize). */
  get outputHiddenSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}`, `${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (this.mode === 'RNN' && this.nonlinearity !== 'tanh') parts.push(`nonlinearity='${this.nonlinearity}'`);
    if (!this.bias) parts.push('bias=false');
    if (!this.batchFirst) parts.push('batchFirst=false');
    if (this.dropout) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push('bidirectional=true');
    if (this.projSize) parts.push(`projSize=${this.projSize}`);
    return parts.join(', ');
  }

  /** Checks a state argument and returns it as [D·numLayers, batch, size] (or null). */
  private checkState(name: string, s: unknown, batch: number, size: number, unbatched: boolean): Tensor | null {
    if (s === undefined || s === null) return null;
    const who = `nn.${this.kind()}`;
    const t = checkFloatTensor(who, name, s);
    const L = this.numDirections * this.numLayers;
    const expected = unbatched ? [L, size] : [L, batch, size];
    if (!shapesEqual(t.shape, expected)) {
      const what = unbatched ? '[D·numLayers, size] for unbatched input' : '[D·numLayers, batch, size]';
      throw new ValueError(
        `${who}: ${name} must have shape ${formatShape(expected)} (${what}; D·numLayers = ${L}, size = ${size}), received ${formatShape(t.shape)}.`,
      );
    }
    return unbatched ? reshape(t, [L, 1, size]) : t;
  }

  /**
   * Runs every layer and direction. `input`: [batch, seq, inputSize] (batchFirst), [seq, batch, inputSize]
   * (batchFirst false) or unbatched [seq, inputSize]; missing initial states are zeros.
   */
  protected runLayers(input: PackedSequence, hx: unknown, cx: unknown): RecurrentResult<PackedSequence>;
  protected runLayers(input: unknown, hx: unknown, cx: unknown): RecurrentResult;
  protected runLayers(input: unknown, hx: unknown, cx: unknown): RecurrentResult<Tensor | PackedSequence> {
    if (input instanceof PackedSequence) return this.runPacked(input, hx, cx);
    return this.runPadded(input, hx, cx, null);
  }

  /**
   * A packed batch: unpacked to [batch, maxLen, *] in the original order and run with a [batch, maxLen] length mask
   * through the fused kernels (a masked step keeps the state, so h_n is each sequence's state at its own last step,
   * and the reverse direction, which meets the padding first, starts from h0 at each sequence's own last step);
   * outputs past each length are zeroed and the result is packed again with the input's order.
   */
  private runPacked(input: PackedSequence, hx: unknown, cx: unknown): RecurrentResult<PackedSequence> {
    const who = `nn.${this.kind()}`;
    const [padded] = padPackedSequence(input, { batchFirst: true });
    if (padded.rank !== 3)
      throw new ValueError(
        `${who}: a packed input must hold [steps, inputSize] rows, received data of shape ${formatShape(input.data.shape)}.`,
      );
    const lengths = input.lengths();
    const r = this.runPadded(padded, hx, cx, lengths, true);
    const out = packPaddedSequence(r.output, lengths, { batchFirst: true, enforceSorted: input.sortedIndices === null });
    return { output: out, hN: r.hN, cN: r.cN };
  }

  private runPadded(input: unknown, hx: unknown, cx: unknown, lengths: number[] | null, forceBatchFirst = false): RecurrentResult {
    const who = `nn.${this.kind()}`;
    const x0 = checkFloatTensor(who, 'input', input);
    if (x0.rank !== 2 && x0.rank !== 3) {
      const layout = this.batchFirst ? '[batch, seq, inputSize]' : '[seq, batch, inputSize]';
      throw new ValueError(
        `${who}: input must have rank 3 ${layout} or rank 2 (unbatched [seq, inputSize]), received shape ${formatShape(x0.shape)}.`,
      );
    }
    if (x0.shape[x0.rank - 1] !== this.inputSize) {
      throw new ValueError(
        `${who}: the last dimension of input must be inputSize = ${this.inputSize}, received shape ${formatShape(x0.shape)}.`,
      );
    }
    const unbatched = x0.rank === 2;
    const batchFirst = this.batchFirst || forceBatchFirst;
    let x = unbatched ? reshape(x0, [1, ...x0.shape]) : batchFirst ? x0 : transpose(x0, [1, 0, 2]);
    const [batch, steps] = x.shape;
    if (steps < 1) throw new ValueError(`${who}: input must have at least one time step, received shape ${formatShape(x0.shape)}.`);
    const H = this.hiddenSize;
    const Hout = this.outputHiddenSize;
    const D = this.numDirections;
    const h0 = this.checkState('h0', hx, batch, Hout, unbatched);
    const c0 = this.mode === 'LSTM' ? this.checkState('c0', cx, batch, H, unbatched) : null;
    if (this.mode !== 'LSTM' && cx !== undefined && cx !== null) throw new ValueError(`${who}: has no cell state; c0 must not be given.`);

    // Length mask: 1 for steps < length. The kernels' masked steps keep the state; outputs there are zeroed below.
    let mask: Float32Array | null = null;
    let maskT: Tensor | null = null;
    if (lengths) {
      mask = new Float32Array(batch * steps);
      lengths.forEach((len, b) => mask!.fill(1, b * steps, b * steps + len));
      maskT = tensor(mask, [batch, steps, 1], 'float32');
    }
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const hInit = h0 ? reshape(slice(h0, [k, 0, 0], [1, batch, Hout]), [batch, Hout]) : null;
        const cInit = c0 ? reshape(slice(c0, [k, 0, 0], [1, batch, H]), [batch, H]) : null;
        const r = this.runDirection(sfx, x, hInit, cInit, d === 1, mask);
        outs.push(maskT ? mul(r.seq, maskT) : r.seq);
        hs.push(r.hN);
        if (r.cN) cs.push(r.cN);
      }
      x = concatFeatures(outs);
      if (this.training && this.dropout > 0 && l < this.numLayers - 1) x = mul(x, dropoutMask(x.shape, this.dropout, this.rng));
    }
    let output = x;
    let hN = stack(hs, 0);
    let cN = cs.length ? stack(cs, 0) : null;
    if (unbatched) {
      output = reshape(output, output.shape.slice(1));
      hN = reshape(hN, [hN.shape[0], hN.shape[2]]);
      if (cN) cN = reshape(cN, [cN.shape[0], cN.shape[2]]);
    } else if (!batchFirst) {
      output = transpose(output, [1, 0, 2]);
    }
    return { output, hN, cN };
  }

  /** Bytes of wasm memory this module's batch-1 inference kernels keep resident (diagnostics and tests). */
  stepKernelResidentBytes(): number {
    return this.stepKernels.residentBytes();
  }

  /** Frees the wasm memory of the batch-1 inference kernels (also freed when the module is garbage-collected). */
  releaseStepKernels(): void {
    this.stepKernels.release();
  }

  private optionalParam(name: string): Tensor | null {
    return this.bias ? this.getParameter(name) : null;
  }

  /** One layer, one direction: sequence outputs in time order [batch, seq, Hout] and the final states. */
  private runDirection(
    sfx: string,
    x: Tensor,
    h0: Tensor | null,
    c0: Tensor | null,
    backwards: boolean,
    mask: Float32Array | null,
  ): { seq: Tensor; hN: Tensor; cN: Tensor | null } {
    const H = this.hiddenSize;
    const wih = this.getParameter(`weight_ih${sfx}`);
    const whh = this.getParameter(`weight_hh${sfx}`);
    const bih = this.optionalParam(`bias_ih${sfx}`);
    const bhh = this.optionalParam(`bias_hh${sfx}`);
    if (this.projSize > 0)
      return this.runProjectedLSTM(x, wih, whh, bih, bhh, this.getParameter(`weight_hr${sfx}`), h0, c0, backwards, mask);
    const fast = this.stepKernels.run(sfx, x, wih, whh, bih, bhh, h0, c0, backwards, mask);
    if (fast) return { seq: backwards ? reverse(fast.seq, 1) : fast.seq, hN: fast.hN, cN: fast.cN };
    const kernel = torchWeightToKeras(this.mode, wih, H);
    const recurrentKernel = torchWeightToKeras(this.mode, whh, H);
    const bias = torchBiasToKeras(this.mode, bih, bhh, H);
    const opts = { returnSequences: true, goBackwards: backwards, recurrentActivation: 'sigmoid' as const, mask };
    let seq: Tensor;
    let hN: Tensor;
    let cN: Tensor | null = null;
    if (this.mode === 'LSTM') {
      [, seq, hN, cN] = lstmSequence(x, kernel, recurrentKernel, bias, h0, c0, { ...opts, activation: 'tanh' });
    } else if (this.mode === 'GRU') {
      [, seq, hN] = gruSequence(x, kernel, recurrentKernel, bias, h0, { ...opts, activation: 'tanh', resetAfter: true });
    } else {
      [, seq, hN] = simpleRNNSequence(x, kernel, recurrentKernel, bias, h0, { ...opts, activation: this.nonlinearity });
    }
    // With goBackwards the kernel's outputs are in processing order; PyTorch's reverse direction reports them in time order.
    return { seq: backwards ? reverse(seq, 1) : seq, hN, cN };
  }

  /**
   * LSTM with projection (PyTorch proj_size): h' = (o ⊙ tanh(c'))·W_hrᵀ. The fused kernel has no projection, so this
   * runs per step through core's `rnn()` with general ops (the input projection of all steps is one matMul).
   */
  private runProjectedLSTM(
    x: Tensor,
    wih: Tensor,
    whh: Tensor,
    bih: Tensor | null,
    bhh: Tensor | null,
    whr: Tensor,
    h0: Tensor | null,
    c0: Tensor | null,
    backwards: boolean,
    mask: Float32Array | null,
  ): { seq: Tensor; hN: Tensor; cN: Tensor } {
    const [batch, steps, inDim] = x.shape;
    const H = this.hiddenSize;
    const P = this.projSize;
    let pin = reshape(matMul(reshape(x, [batch * steps, inDim]), wih, false, true), [batch, steps, 4 * H]);
    const bias = torchBiasToKeras('LSTM', bih, bhh, H);
    if (bias) pin = add(pin, bias);
    const step = (xt: Tensor, states: Tensor[]): [Tensor, Tensor[]] => {
      const [h, c] = states;
      const z = add(xt, matMul(h, whh, false, true));
      const [i, f, g, o] = split(z, 4, 1);
      const c2 = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
      const h2 = matMul(mul(sigmoid(o), tanh(c2)), whr, false, true);
      return [h2, [h2, c2]];
    };
    const maskT = mask ? tensor(mask, [batch, steps], 'float32') : null;
    const [, outs, [hN, cN]] = rnn(step, pin, [h0 ?? zeros([batch, P]), c0 ?? zeros([batch, H])], backwards, maskT);
    return { seq: backwards ? reverse(outs, 1) : outs, hN, cN };
  }
}
