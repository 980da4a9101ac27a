/**
 * Shared parts of `nn.RNNCell`, `nn.LSTMCell`, `nn.GRUCell`: PyTorch's parameters (weight_ih [G·hidden, input],
 * weight_hh [G·hidden, hidden], bias_ih, bias_hh) and one step run through core's fused sequence kernel with a
 * single time step (no second implementation of the cell math).
 */
import { formatShape, gruSequence, lstmSequence, reshape, shapesEqual, simpleRNNSequence, Tensor, ValueError } from '@recurrent/core';
import { checkFloatTensor, checkInt, checkOptionKeys, moduleGenerator, uniformTensor } from './init';
import { Module } from './module';
import { gateCount, RecurrentMode, torchBiasToKeras, torchWeightToKeras } from './weight_layout';

/** Options shared by the cells. */
export interface CellOptions {
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Seed of the initial weights (default: core's global generator). */
  seed?: number;
}

/** Base class of the nn cells. */
export abstract class RNNCellBase extends Module {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  readonly nonlinearity: 'tanh' | 'relu';

  protected constructor(
    mode: RecurrentMode,
    inputSize: number,
    hiddenSize: number,
    options: CellOptions | undefined,
    extraKeys: string[],
    nonlinearity: 'tanh' | 'relu',
  ) {
    super();
    const who = `nn.${this.kind()}`;
    checkOptionKeys(who, options, ['bias', 'seed', ...extraKeys]);
    this.mode = mode;
    this.inputSize = checkInt(who, 'inputSize', inputSize, 1);
    this.hiddenSize = checkInt(who, 'hiddenSize', hiddenSize, 1);
    this.bias = options?.bias ?? true;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ValueError(`${who}: nonlinearity must be 'tanh' or 'relu', received '${String(nonlinearity)}'.`);
    }
    this.nonlinearity = nonlinearity;
    const rng = moduleGenerator(options?.seed);
    const G = gateCount(mode);
    const bound = 1 / Math.sqrt(hiddenSize);
    this.registerParameter('weight_ih', uniformTensor([G * hiddenSize, inputSize], bound, rng));
    this.registerParameter('weight_hh', uniformTensor([G * hiddenSize, hiddenSize], bound, rng));
    if (this.bias) {
      this.registerParameter('bias_ih', uniformTensor([G * hiddenSize], bound, rng));
      this.registerParameter('bias_hh', uniformTensor([G * hiddenSize], bound, rng));
    }
  }

  override extraRepr(): string {
    return [
      `${this.inputSize}`,
      `${this.hiddenSize}`,
      ...(this.bias ? [] : ['bias=false']),
      ...(this.mode === 'RNN' && this.nonlinearity !== 'tanh' ? [`nonlinearity='${this.nonlinearity}'`] : []),
    ].join(', ');
  }

  /** Validates input [batch, input] or unbatched [input]; returns it as [batch, 1, input] and whether it was unbatched. */
  protected checkInput(input: unknown): { x: Tensor; batch: number; unbatched: boolean } {
    const who = `nn.${this.kind()}`;
    const t = checkFloatTensor(who, 'input', input);
    if ((t.rank !== 1 && t.rank !== 2) || t.shape[t.rank - 1] !== this.inputSize) {
      throw new ValueError(
        `${who}: input must have shape [batch, ${this.inputSize}] or [${this.inputSize}] (unbatched), received ${formatShape(t.shape)}.`,
      );
    }
    const unbatched = t.rank === 1;
    const batch = unbatched ? 1 : t.shape[0];
    return { x: reshape(t, [batch, 1, this.inputSize]), batch, unbatched };
  }

  /** Validates a state [batch, hidden] (or [hidden] unbatched); returns it as [batch, hidden]. */
  protected checkState(name: string, s: unknown, batch: number, unbatched: boolean): Tensor | null {
    if (s === undefined || s === null) return null;
    const who = `nn.${this.kind()}`;
    const t = checkFloatTensor(who, name, s);
    const expected = unbatched ? [this.hiddenSize] : [batch, this.hiddenSize];
    if (!shapesEqual(t.shape, expected)) {
      throw new ValueError(
        `${who}: ${name} must have shape ${formatShape(expected)} (${unbatched ? '[hidden] for unbatched input' : '[batch, hidden]'}), received ${formatShape(t.shape)}.`,
      );
    }
    return unbatched ? reshape(t, [1, this.hiddenSize]) : t;
  }

  /** One step through the fused kernel: [h', c' (LSTM)] as [batch, hidden]. */
  protected step(x: Tensor, h: Tensor | null, c: Tensor | null): [Tensor, Tensor | null] {
    const H = this.hiddenSize;
    const kernel = torchWeightToKeras(this.mode, this.getParameter('weight_ih'), H);
    const recurrentKernel = torchWeightToKeras(this.mode, this.getParameter('weight_hh'), H);
    const bias = this.bias ? torchBiasToKeras(this.mode, this.getParameter('bias_ih'), this.getParameter('bias_hh'), H) : null;
    const opts = { recurrentActivation: 'sigmoid' as const };
    if (this.mode === 'LSTM') {
      const [, , hN, cN] = lstmSequence(x, kernel, recurrentKernel, bias, h, c, { ...opts, activation: 'tanh' });
      return [hN, cN];
    }
    if (this.mode === 'GRU')
      return [gruSequence(x, kernel, recurrentKernel, bias, h, { ...opts, activation: 'tanh', resetAfter: true })[2], null];
    return [simpleRNNSequence(x, kernel, recurrentKernel, bias, h, { ...opts, activation: this.nonlinearity })[2], null];
  }

  /** Back to [hidden] for unbatched input. */
  protected unbatch(t: Tensor, unbatched: boolean): Tensor {
    return unbatched ? reshape(t, [this.hiddenSize]) : t;
  }
}
