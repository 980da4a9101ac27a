/** LSTMCell: one step of a long short-term memory cell (gate order i, f, c, o). */
import { checkArgsOf } from '../serialization/registry';
import { add, concat, DataType, lstmSequence, LstmSequenceOptions, mul, ones, SequenceKernel, Tensor } from '@recurrent/core';
import { ActivationFn } from '../activations/activation_fn';
import type { CallKwargs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import { Initializer } from '../initializers/initializer';
import type { ConfigDict } from '../serialization/registry';
import {
  addCellWeights,
  BaseRNNCellArgs,
  biasSlice,
  CellActivation,
  cellOptionsConfig,
  checkCellArgs,
  fusedSequenceKernel,
  gateProducts,
  resolveCellOptions,
  ResolvedCellOptions,
  resolveRecurrentActivation,
} from './cell_options';
import { RNNCell } from './rnn_cell';
import { CELL_KIND_BRAND } from '../engine/class_brands';

/** Args of `LSTMCell` (tfjs `LSTMCellLayerArgs`). */
export interface LSTMCellArgs extends BaseRNNCellArgs {
  /** Activation of the input, forget and output gates (default 'hardSigmoid', as tfjs; Keras 3 uses 'sigmoid'). */
  recurrentActivation?: CellActivation;
  /**
   * Initialize the forget-gate slice of the bias to ones (the rest with `biasInitializer`), as Keras.
   * Default true.
   * tfjs note: tfjs leaves this off unless asked (its default is undefined); Keras defaults to true.
   */
  unitForgetBias?: boolean;
  /** Accepted for compatibility (1 or 2); it has no effect on the computation (default 2). */
  implementation?: number;
}

/** `bias` initializer with unitForgetBias: [init(units), ones(units), init(2·units)] (Keras). Not serialized. */
export class UnitForgetBiasInitializer extends Initializer {
  static override className = 'UnitForgetBias';
  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {
    super();
  }

  apply(_shape: number[], dtype?: DataType): Tensor {
    const U = this.units;
    return concat([this.base.apply([U], dtype), ones([U], dtype), this.base.apply([2 * U], dtype)], 0);
  }
}

/**
 * The LSTM update from the gate pre-activations `z` = [z_i, z_f, z_c, z_o] (σ = `rec`): c' = σ(z_f) ⊙ c + σ(z_i) ⊙ act(z_c),
 * h' = σ(z_o) ⊙ act(c'). Returns `[h', h', c']` (a step's output and states); LSTMCell and ConvLSTM2DCell share it.
 */
export function lstmGates(z: Tensor[], c: Tensor, rec: ActivationFn, act: ActivationFn): Tensor[] {
  const i = rec.apply(z[0]);
  const f = rec.apply(z[1]);
  const cNew = add(mul(f, c), mul(i, act.apply(z[2])));
  const o = rec.apply(z[3]);
  const hNew = mul(o, act.apply(cNew));
  return [hNew, hNew, cNew];
}

/**
 * One LSTM step (σ = recurrentActivation): with z = x·W + h·U + b split into gates i, f, c, o,
 * i = σ(z_i), f = σ(z_f), c' = f ⊙ c + i ⊙ act(z_c), o = σ(z_o), h' = o ⊙ act(c'); the output is h'.
 * States [h, c]. Weights: 'kernel' [inputDim, 4·units], 'recurrent_kernel' [units, 4·units], 'bias' [4·units].
 */
export class LSTMCell extends RNNCell {
  static override className = 'LSTMCell';
  /** @internal Which built-in cell this is (`cellKindOf`, engine/class_brands.ts). */
  get [CELL_KIND_BRAND](): 'lstm' {
    return 'lstm';
  }
  readonly units: number;
  readonly stateSize: number[];
  readonly options: ResolvedCellOptions;
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  readonly implementation: number;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: LSTMCellArgs) {
    checkCellArgs('LSTMCell', args);
    super(args);
    this.options = resolveCellOptions(args);
    this.units = args.units;
    this.stateSize = [args.units, args.units];
    this.recurrentActivation = resolveRecurrentActivation(args.recurrentActivation);
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.implementation = args.implementation ?? 2;
    this.dropoutMaskCount = 4;
    this.setDropout(args.dropout, args.recurrentDropout, args.seed);
    // Validate the option bag once the object is complete (direct `new LSTMCell(...)`; factories and files check too).
    if (new.target === LSTMCell) checkArgsOf(this, args);
  }

  get activation(): ActivationFn {
    return this.options.activation;
  }

  get useBias(): boolean {
    return this.options.useBias;
  }

  override build(inputShape: Shape | Shape[]): void {
    const o = this.options;
    const init = this.unitForgetBias ? new UnitForgetBiasInitializer(o.biasInitializer, this.units) : undefined;
    const w = addCellWeights(this, o, inputShape, 4, { initializer: init });
    this.kernel = w.kernel;
    this.recurrentKernel = w.recurrentKernel;
    this.bias = w.bias;
    this.built = true;
  }

  /** One step: `[x [batch, inputDim], h [batch, units], c [batch, units]]` → `[h', h', c']`. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, [h, c]] = this.splitStepInputs(inputs);
    const U = this.units;
    const batch = x.shape[0];
    const dm = this.getDropoutMasks(batch, x.shape[x.rank - 1], kwargs.training);
    const rm = this.getRecurrentDropoutMasks(batch, U, kwargs.training);
    const xs = gateProducts(x, this.kernel!, dm, 4, U);
    const hs = gateProducts(h, this.recurrentKernel!, rm, 4, U);
    const z = xs.map((xg, g) => {
      const s = add(xg, hs[g]);
      return this.bias ? add(s, biasSlice(this.bias, g, U)) : s;
    });
    return lstmGates(z, c, this.recurrentActivation, this.options.activation);
  }

  /** The fused `lstmSequence` for this cell, or null for activations the kernel lacks. */
  override sequenceKernel(kwargs: CallKwargs): SequenceKernel | null {
    return fusedSequenceKernel(this, kwargs, this.recurrentActivation, (inputs, states, options) => {
      const lstm = options as LstmSequenceOptions; // recurrentActivation: given above
      const [last, seq, h, c] = lstmSequence(
        inputs,
        this.kernel!,
        this.recurrentKernel!,
        this.bias,
        states[0] ?? null,
        states[1] ?? null,
        lstm,
      );
      return [last, seq, [h, c]];
    });
  }

  override getConfig(): ConfigDict {
    const config = cellOptionsConfig(this.options, this.dropout, this.recurrentDropout, this.seed, this.recurrentActivation);
    return { ...config, unitForgetBias: this.unitForgetBias, implementation: this.implementation, ...super.getConfig() };
  }
}
