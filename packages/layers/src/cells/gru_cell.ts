/** GRUCell: one step of a gated recurrent unit (gate order z, r, h), both `resetAfter` variants. */
import { checkArgsOf } from '../serialization/registry';
import { add, gruSequence, GruSequenceOptions, matMul, mul, SequenceKernel, slice, sub, Tensor } from '@recurrent/core';
import { ActivationFn } from '../activations/activation_fn';
import type { CallKwargs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
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

/** Args of `GRUCell` (tfjs `GRUCellLayerArgs` plus Keras's `resetAfter: true`). */
export interface GRUCellArgs extends BaseRNNCellArgs {
  /** Activation of the update (z) and reset (r) gates (default 'hardSigmoid', as tfjs; Keras 3 uses 'sigmoid'). */
  recurrentActivation?: CellActivation;
  /** Accepted for compatibility (1 or 2); it has no effect on the computation (default 2). */
  implementation?: number;
  /**
   * Apply the reset gate after the recurrent product (Keras 2/3 and CuDNN/PyTorch convention). The bias is
   * then [2, 3·units]: row 0 the input bias, row 1 the recurrent bias, exactly as Keras stores it.
   * Default false (tfjs's GRU).
   * tfjs note: tfjs throws on `resetAfter: true`; Keras defaults to true.
   */
  resetAfter?: boolean;
}

/**
 * One GRU step (σ = recurrentActivation, ⊙ elementwise), gates z, r, h in the weight columns:
 * - resetAfter false: z = σ(x·W_z + b_z + h·U_z), r = σ(x·W_r + b_r + h·U_r),
 *   hh = act(x·W_h + b_h + (r ⊙ h)·U_h)
 * - resetAfter true: z = σ(x·W_z + bi_z + h·U_z + br_z), r = σ(x·W_r + bi_r + h·U_r + br_r),
 *   hh = act(x·W_h + bi_h + r ⊙ (h·U_h + br_h))
 * then h' = z ⊙ h + (1 − z) ⊙ hh; the output is h'.
 * Weights: 'kernel' [inputDim, 3·units], 'recurrent_kernel' [units, 3·units], 'bias' [3·units] or [2, 3·units].
 */
export class GRUCell extends RNNCell {
  static override className = 'GRUCell';
  /** @internal Which built-in cell this is (`cellKindOf`, engine/class_brands.ts). */
  get [CELL_KIND_BRAND](): 'gru' {
    return 'gru';
  }
  readonly units: number;
  readonly stateSize: number;
  readonly options: ResolvedCellOptions;
  readonly recurrentActivation: ActivationFn;
  readonly implementation: number;
  readonly resetAfter: boolean;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: GRUCellArgs) {
    checkCellArgs('GRUCell', args);
    super(args);
    this.options = resolveCellOptions(args);
    this.units = args.units;
    this.stateSize = args.units;
    this.recurrentActivation = resolveRecurrentActivation(args.recurrentActivation);
    this.implementation = args.implementation ?? 2;
    this.resetAfter = args.resetAfter ?? false;
    this.dropoutMaskCount = 3;
    this.setDropout(args.dropout, args.recurrentDropout, args.seed);
    // Validate the option bag once the object is complete (direct `new GRUCell(...)`; factories and files check too).
    if (new.target === GRUCell) checkArgsOf(this, args);
  }

  get activation(): ActivationFn {
    return this.options.activation;
  }

  get useBias(): boolean {
    return this.options.useBias;
  }

  override build(inputShape: Shape | Shape[]): void {
    const biasShape = this.resetAfter ? [2, 3 * this.units] : undefined;
    const w = addCellWeights(this, this.options, inputShape, 3, { shape: biasShape });
    this.kernel = w.kernel;
    this.recurrentKernel = w.recurrentKernel;
    this.bias = w.bias;
    this.built = true;
  }

  /** One step: `[x [batch, inputDim], h [batch, units]]` → `[h', h']`. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, [h]] = this.splitStepInputs(inputs);
    const U = this.units;
    const batch = x.shape[0];
    const dm = this.getDropoutMasks(batch, x.shape[x.rank - 1], kwargs.training);
    const rm = this.getRecurrentDropoutMasks(batch, U, kwargs.training);
    const rec = this.recurrentActivation;
    const act = this.options.activation;
    let [xz, xr, xh] = gateProducts(x, this.kernel!, dm, 3, U);
    const b = this.bias;
    if (b) {
      const row = this.resetAfter ? 0 : undefined;
      xz = add(xz, biasSlice(b, 0, U, row));
      xr = add(xr, biasSlice(b, 1, U, row));
      xh = add(xh, biasSlice(b, 2, U, row));
    }
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let [rz, rr, rh] = gateProducts(h, this.recurrentKernel!, rm, 3, U);
      if (b) {
        rz = add(rz, biasSlice(b, 0, U, 1));
        rr = add(rr, biasSlice(b, 1, U, 1));
        rh = add(rh, biasSlice(b, 2, U, 1));
      }
      z = rec.apply(add(xz, rz));
      const r = rec.apply(add(xr, rr));
      hh = act.apply(add(xh, mul(r, rh)));
    } else {
      const [rz, rr] = gateProducts(h, this.recurrentKernel!, rm, 3, U, 0, 2);
      z = rec.apply(add(xz, rz));
      const r = rec.apply(add(xr, rr));
      const hH = rm ? mul(h, rm[rm.length === 1 ? 0 : 2]) : h;
      const uH = slice(this.recurrentKernel!, [0, 2 * U], [U, U]);
      hh = act.apply(add(xh, matMul(mul(r, hH), uH)));
    }
    // h' = z ⊙ h + (1 − z) ⊙ hh = hh + z ⊙ (h − hh)
    const out = add(hh, mul(z, sub(h, hh)));
    return [out, out];
  }

  /** The fused `gruSequence` for this cell, or null for activations the kernel lacks. */
  override sequenceKernel(kwargs: CallKwargs): SequenceKernel | null {
    return fusedSequenceKernel(this, kwargs, this.recurrentActivation, (inputs, states, options) => {
      const gru = { ...options, resetAfter: this.resetAfter } as GruSequenceOptions; // recurrentActivation: given above
      const [last, seq, h] = gruSequence(inputs, this.kernel!, this.recurrentKernel!, this.bias, states[0] ?? null, gru);
      return [last, seq, [h]];
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...cellOptionsConfig(this.options, this.dropout, this.recurrentDropout, this.seed, this.recurrentActivation),
      implementation: this.implementation,
      resetAfter: this.resetAfter,
      ...super.getConfig(),
    };
  }
}
