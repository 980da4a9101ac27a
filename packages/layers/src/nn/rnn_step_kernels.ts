/**
 * Batch-1 inference of the nn recurrent modules (nn.LSTM / nn.GRU / nn.RNN, one layer and direction at a time)
 * through core's step kernels: `StepKernel.run` keeps the inputs and states inside wasm and multiplies one row
 * by the resident packed weights per step. The fused sequence kernels would copy and pack the weights on every
 * call and multiply the single row with a gemm tile meant for many (~3x slower at batch 1), and the module would
 * convert PyTorch's weight layout to the kernels' on every call. Here the conversion and the packing happen once
 * per parameter values: a parameter's `assign` (optimizers, `loadStateDict`) replaces its values array, which is
 * what is compared. Used only when nothing records a gradient (`noGrad()` inference; parameters require grad).
 */
import { createStepKernel, isRecording, StepKernel, Tensor } from '@recurrent/core';
import { RecurrentMode, torchBiasToKeras, torchWeightToKeras } from './weight_layout';

interface Entry {
  kernel: StepKernel;
  /** The parameter values arrays the kernel's weights were converted from (identity). */
  from: (unknown | null)[];
}

/** The step kernels of one module, one per layer and direction (keyed by the parameter-name suffix). */
export class RnnStepKernels {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly mode: RecurrentMode,
    private readonly hidden: number,
    private readonly nonlinearity: 'tanh' | 'relu',
  ) {}

  /**
   * One layer and direction on x [1, steps, inputSize] (batch 1): `{seq [1, steps, hidden] in processing
   * order, hN, cN}`, or null when this path does not apply (more rows, a length mask, a recorded gradient).
   */
  run(
    key: string,
    x: Tensor,
    wih: Tensor,
    whh: Tensor,
    bih: Tensor | null,
    bhh: Tensor | null,
    h0: Tensor | null,
    c0: Tensor | null,
    backwards: boolean,
    mask: Float32Array | null,
  ): { seq: Tensor; hN: Tensor; cN: Tensor | null } | null {
    if (mask || x.rank !== 3 || x.shape[0] !== 1 || x.dtype !== 'float32') return null;
    const params = [wih, whh];
    if (bih) params.push(bih);
    if (bhh) params.push(bhh);
    if (isRecording(params) || isRecording([x]) || (h0 && isRecording([h0])) || (c0 && isRecording([c0]))) return null;
    const k = this.kernelFor(key, wih, whh, bih, bhh);
    const H = this.hidden;
    const T = x.shape[1];
    const lstm = this.mode === 'LSTM';
    const zeros = h0 && (!lstm || c0) ? null : new Float32Array(H);
    const hN = new Float32Array(H);
    const cN = lstm ? new Float32Array(H) : null;
    const seq = new Float32Array(T * H);
    k.run(
      x.values as Float32Array,
      T,
      h0 ? (h0.values as Float32Array) : (zeros as Float32Array),
      lstm ? (c0 ? (c0.values as Float32Array) : (zeros as Float32Array)) : null,
      hN,
      cN,
      { goBackwards: backwards, sequenceOutputs: seq },
    );
    return {
      seq: new Tensor(seq, [1, T, H], 'float32'),
      hN: new Tensor(hN, [1, H], 'float32'),
      cN: cN ? new Tensor(cN, [1, H], 'float32') : null,
    };
  }

  /** The kernel of `key` with the current parameter values, converted and re-packed only when one changed. */
  private kernelFor(key: string, wih: Tensor, whh: Tensor, bih: Tensor | null, bhh: Tensor | null): StepKernel {
    const from = [wih.values, whh.values, bih ? bih.values : null, bhh ? bhh.values : null];
    const e = this.entries.get(key);
    if (e && from.every((v, i) => v === e.from[i])) return e.kernel;
    const { mode, hidden } = this;
    const kernel = torchWeightToKeras(mode, wih, hidden).values as Float32Array;
    const recurrent = torchWeightToKeras(mode, whh, hidden).values as Float32Array;
    const bias = torchBiasToKeras(mode, bih, bhh, hidden);
    const b = bias ? (bias.values as Float32Array) : null;
    if (e) {
      e.kernel.setWeights(kernel, recurrent, b);
      e.from = from;
      return e.kernel;
    }
    const cell = mode === 'LSTM' ? 'lstm' : mode === 'GRU' ? 'gru' : 'simpleRNN';
    const created = createStepKernel(cell, kernel, recurrent, b, {
      activation: mode === 'RNN' ? this.nonlinearity : 'tanh',
      recurrentActivation: 'sigmoid',
      resetAfter: true,
    });
    this.entries.set(key, { kernel: created, from });
    return created;
  }

  /** Bytes of wasm memory the kernels keep resident (diagnostics and tests). */
  residentBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.kernel.residentBytes;
    return n;
  }

  /** Frees the kernels' resident memory; a later call makes them again. */
  release(): void {
    for (const e of this.entries.values()) e.kernel.dispose();
    this.entries.clear();
  }
}
