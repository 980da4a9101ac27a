/** ctcLoss: the connectionist temporal classification loss as one fused, differentiable op (Keras 3 `ops.ctc_loss`). */
import { isRecording } from '../engine';
import { customGrad } from '../gradients';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { CtcArrays, CtcDims, CtcKernelOptions, ctcLossBackward, ctcLossForward } from '../kernels/ctc_kernel';
import { boolOption, checkOptions, ctcLengths, ctcLogits, intOption, intValues } from './ctc_args';
import { ValueError } from '../errors';

/** Options of {@link ctcLoss}. */
export interface CtcLossOptions {
  /** Class id of the blank (Keras `mask_index`); default 0. */
  blankIndex?: number;
  /**
   * Whether `logits` are unnormalized scores (default true: a log-softmax over classes is applied, as Keras) or
   * already log-probabilities (PyTorch's `log_probs`; then the gradient is taken with respect to them).
   */
  fromLogits?: boolean;
}

/**
 * The per-sample CTC loss −log P(label | logits) for unsegmented sequence labelling (speech, handwriting, OCR):
 * the probability of a label sums over every alignment of it to the time steps (blanks between and around labels,
 * each label repeated over consecutive steps).
 *
 * - `labels` int32 `[batch, maxLabelLength]`: class ids; each row's first `labelLengths[b]` entries are its label
 *   (the rest is padding, any value). Ids must be in [0, numClasses) and differ from the blank.
 * - `logits` float32 `[batch, timeSteps, numClasses]`.
 * - `labelLengths` int32 `[batch]` in [0, maxLabelLength]; `logitLengths` int32 `[batch]` in [0, timeSteps]
 *   (steps past a sample's length are ignored and get a zero gradient).
 * - Returns float32 `[batch]`.
 *
 * Forward–backward in log space, fused: the whole batch is one tape node whose gradient with respect to `logits` is
 * `softmax(logits) − posterior occupancy of each class` (or `−occupancy` with respect to log-probabilities when
 * `fromLogits` is false).
 *
 * A label that cannot be aligned in its logit length (a label of n ids with r adjacent repeats needs n + r steps)
 * gives an infinite loss and a zero gradient, as Keras (TensorFlow) and PyTorch do; PyTorch's `zeroInfinity`
 * (see `nn.CTCLoss`) turns those into zeros.
 *
 * tfjs note: tfjs has no CTC. Keras 3's `ops.ctc_loss(target, output, target_length, output_length, mask_index)`
 * always applies log-softmax; `blankIndex` is its `mask_index`, and `fromLogits: false` (log-probabilities in, as
 * PyTorch) is an addition.
 *
 * ```js
 * const logits = randomNormal([2, 10, 5]);               // 2 sequences, 10 steps, blank + 4 classes
 * const labels = tensor2d([[1, 2, 2], [3, 0, 0]], [2, 3], 'int32');
 * const loss = ctcLoss(labels, logits, tensor1d([3, 1], 'int32'), tensor1d([10, 8], 'int32'));   // [2]
 * ```
 */
export function ctcLoss(
  labels: TensorLike,
  logits: TensorLike,
  labelLengths: TensorLike,
  logitLengths: TensorLike,
  options: CtcLossOptions = {},
): Tensor {
  const op = 'ctcLoss';
  const opts = checkOptions(op, options, ['blankIndex', 'fromLogits']);
  const x = ctcLogits(op, 'logits', logits);
  const [B, T, C] = x.shape;
  const blankIndex = intOption(op, 'blankIndex', opts.blankIndex ?? 0, 0, C - 1);
  const fromLogits = boolOption(op, 'fromLogits', opts.fromLogits ?? true);

  const lab = convertToTensor(labels, 'labels', op);
  if (lab.rank !== 2) {
    throw new ValueError(`${op}: labels must have shape [batch, maxLabelLength], received shape ${formatShape(lab.shape)}.`);
  }
  if (lab.shape[0] !== B) {
    throw new ValueError(
      `${op}: labels has batch size ${lab.shape[0]} (shape ${formatShape(lab.shape)}) but logits has batch size ${B} ` +
        `(shape ${formatShape(x.shape)}); they must match.`,
    );
  }
  const Lmax = lab.shape[1];
  const labelValues = intValues(op, 'labels', lab);
  const labLen = ctcLengths(op, 'labelLengths', labelLengths, B, Lmax, `labels has ${Lmax} columns`);
  const logLen = ctcLengths(op, 'logitLengths', logitLengths, B, T, `logits has ${T} time steps`);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < labLen[b]; j++) {
      const id = labelValues[b * Lmax + j];
      if (id < 0 || id >= C || id === blankIndex) {
        throw new ValueError(
          `${op}: labels[${b}][${j}] = ${id} is not a valid label: ids must be in [0, ${C}) (numClasses of logits) and differ ` +
            `from blankIndex ${blankIndex} (entries before labelLengths[${b}] = ${labLen[b]} are labels; pad after them).`,
        );
      }
    }
  }

  const dims: CtcDims = { batch: B, timeSteps: T, numClasses: C, maxLabelLength: Lmax };
  const arrays: CtcArrays = { logits: x.values as Float32Array, labels: labelValues, labelLengths: labLen, logitLengths: logLen };
  const kernelOpts: CtcKernelOptions = { blankIndex, fromLogits, storeForBackward: isRecording() };
  const fused = customGrad((z: Tensor) => {
    const { loss, saved } = ctcLossForward(dims, arrays, kernelOpts);
    return {
      value: makeTensor(loss, [B], 'float32'),
      gradFunc: (dy: Tensor) => {
        // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
        if (!saved) throw new Error(`${op}: internal error: the forward pass kept nothing for the gradient.`);
        return makeTensor(ctcLossBackward(dims, arrays, kernelOpts, saved, dy.values), z.shape.slice(), 'float32');
      },
    };
  });
  return fused(x);
}
