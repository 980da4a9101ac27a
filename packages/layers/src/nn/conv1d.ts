/** `nn.Conv1d`: 1-D convolution over [batch, channels, length] with PyTorch's weight layout [out, in / groups, kernel]. */
import { checkBoolArg, describeValue } from '../engine/args';
import { conv1d, formatShape, NotImplementedError, reshape, Tensor, transpose, ValueError, Variable } from '@recurrent/core';
import { checkFloatTensor, checkInt, checkOptionKeys, moduleGenerator, uniformTensor } from './init';
import { Module } from './module';

/** Options of `nn.Conv1d` (PyTorch's keyword arguments, camelCase). */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /**
   * Zeros added on both sides (default 0), 'valid' (= 0) or 'same' (output length = input length; stride 1 only;
   * total dilation·(kernelSize − 1), the odd one on the right, as PyTorch).
   */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Channel groups: output channels of group g see only input channels of group g (default 1). */
  groups?: number;
  /** Learn an additive `bias` [outChannels] (default true). */
  bias?: boolean;
  /** PyTorch's padding mode; only 'zeros' (the default) is implemented. */
  paddingMode?: 'zeros';
  /** Seed of the initial weights (default: core's global generator). */
  seed?: number;
}

/**
 * 1-D cross-correlation as PyTorch's `nn.Conv1d`: x [batch, inChannels, length] (or unbatched [inChannels, length])
 * → [batch, outChannels, outLength]; `weight` [outChannels, inChannels / groups, kernelSize] and `bias`
 * [outChannels], so a PyTorch `state_dict()` loads as is. Initialization as PyTorch: weight and bias uniform
 * (±1/√(inChannels / groups · kernelSize)).
 *
 * ```ts
 * const conv = new nn.Conv1d(16, 32, 3, { padding: 1 });
 * const y = conv.forward(x);   // x [batch, 16, length] → y [batch, 32, length]
 * ```
 *
 * tfjs note: channels come before length here, as PyTorch (core's `conv1d` and the Keras-style Conv1D layer are
 * channels-last); this module transposes around core's conv1d.
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;
  private readonly hasBias: boolean;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dOptions = {}) {
    super();
    const who = 'nn.Conv1d';
    checkOptionKeys(who, options, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'seed']);
    this.inChannels = checkInt(who, 'inChannels', inChannels, 1);
    this.outChannels = checkInt(who, 'outChannels', outChannels, 1);
    this.kernelSize = checkInt(who, 'kernelSize', kernelSize, 1);
    this.stride = checkInt(who, 'stride', options?.stride ?? 1, 1);
    this.dilation = checkInt(who, 'dilation', options?.dilation ?? 1, 1);
    this.groups = checkInt(who, 'groups', options?.groups ?? 1, 1);
    const padding = options?.padding ?? 0;
    if (padding !== 'same' && padding !== 'valid' && !(Number.isInteger(padding) && padding >= 0)) {
      throw new ValueError(`${who}: padding must be an integer >= 0, 'same' or 'valid', received ${describeValue(padding)}.`);
    }
    if (padding === 'same' && this.stride !== 1)
      throw new ValueError(`${who}: padding 'same' needs stride 1 (as PyTorch), received stride ${this.stride}.`);
    this.padding = padding;
    const mode = options?.paddingMode ?? 'zeros';
    if (mode !== 'zeros') {
      const known = ['reflect', 'replicate', 'circular'].includes(mode as string);
      if (known) throw new NotImplementedError(`${who}: paddingMode '${mode}' is not implemented (only 'zeros').`);
      throw new ValueError(`${who}: paddingMode must be 'zeros', received ${describeValue(mode)}.`);
    }
    for (const [name, c] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
    ] as const) {
      if (c % this.groups !== 0) throw new ValueError(`${who}: ${name} (${c}) must be divisible by groups (${this.groups}).`);
    }
    this.hasBias = options?.bias ?? true;
    checkBoolArg(who, 'bias', this.hasBias);
    const rng = moduleGenerator(options?.seed);
    const fanIn = (inChannels / this.groups) * kernelSize;
    const bound = 1 / Math.sqrt(fanIn);
    this.registerParameter('weight', uniformTensor([outChannels, inChannels / this.groups, kernelSize], bound, rng));
    if (this.hasBias) this.registerParameter('bias', uniformTensor([outChannels], bound, rng));
  }

  /** [outChannels, inChannels / groups, kernelSize]. */
  get weight(): Variable {
    return this.getParameter('weight');
  }

  /** [outChannels], or null with `bias: false`. */
  get bias(): Variable | null {
    return this.hasBias ? this.getParameter('bias') : null;
  }

  override kind(): string {
    return 'Conv1d';
  }

  override extraRepr(): string {
    const pad = typeof this.padding === 'string' ? `'${this.padding}'` : this.padding;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${pad}, dilation=${this.dilation}, groups=${this.groups}, bias=${this.hasBias}`;
  }

  /** [batch, inChannels, length] → [batch, outChannels, outLength] (unbatched [inChannels, length] → [outChannels, outLength]). */
  forward(input: Tensor): Tensor {
    const who = 'nn.Conv1d';
    const x = checkFloatTensor(who, 'input', input);
    if ((x.rank !== 3 && x.rank !== 2) || x.shape[x.rank - 2] !== this.inChannels) {
      throw new ValueError(
        `${who}: input must be [batch, inChannels, length] or [inChannels, length] with inChannels = ${this.inChannels}, received shape ${formatShape(x.shape)}.`,
      );
    }
    const batched = x.rank === 3 ? x : reshape(x, [1, ...x.shape]);
    let pad: [number, number] | 'valid' = 'valid';
    if (this.padding === 'same') {
      const total = this.dilation * (this.kernelSize - 1);
      pad = [Math.floor(total / 2), total - Math.floor(total / 2)];
    } else if (typeof this.padding === 'number') pad = [this.padding, this.padding];
    const y = conv1d(
      transpose(batched, [0, 2, 1]),
      transpose(this.weight, [2, 1, 0]),
      this.stride,
      pad,
      this.dilation,
      this.groups,
      this.bias,
    );
    const out = transpose(y, [0, 2, 1]);
    return x.rank === 3 ? out : reshape(out, out.shape.slice(1));
  }
}
