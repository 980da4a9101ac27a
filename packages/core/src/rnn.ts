/**
 * The time loop: `rnn()` runs a one-step function over the time axis, owning direction,
 * masking, constants and state. Cells know nothing of sequences; built-in cells attach a
 * whole-sequence fused kernel to their step function and `rnn()` hands the loop to it.
 */
import { record } from './engine';
import { makeTensor, Tensor } from './tensor';
import { formatShape, sizeFromShape } from './shape';
import { notEqual, where } from './ops/logical';
import { reshape } from './ops/reshape';
import { ValueError } from './errors';

/** One time step: input `[batch, ...features]` and states → `[output, newStates]`. */
export type StepFunction = (inputs: Tensor, states: Tensor[], constants: Tensor[]) => [Tensor, Tensor[]];

/** Options a whole-sequence kernel receives from `rnn()`. */
export interface SequenceKernelArgs {
  goBackwards: boolean;
  /** `[batch, timeSteps]` float32 of 0/1, already validated; null when unmasked. */
  mask: Tensor | null;
  constants: Tensor[];
  needPerStepOutputs: boolean;
}

/** A fused implementation of a whole loop, with the same contract as `rnn()`'s result. */
export type SequenceKernel = (inputs: Tensor, initialStates: Tensor[], args: SequenceKernelArgs) => [Tensor, Tensor, Tensor[]];

/** A step function that may carry a whole-sequence kernel; `rnn()` prefers the kernel when present. */
export type RnnStepFunction = StepFunction & { sequenceKernel?: SequenceKernel };

/** Splits `[batch, time, ...rest]` into `time` tensors `[batch, ...rest]`, as one tape node. */
function unstackTime(x: Tensor): Tensor[] {
  const [batch, time, ...rest] = x.shape;
  const inner = sizeFromShape(rest);
  const xv = x.values;
  const outs: Tensor[] = [];
  for (let t = 0; t < time; t++) {
    const out = new Float32Array(batch * inner);
    for (let b = 0; b < batch; b++) {
      const src = (b * time + t) * inner;
      out.set(xv.subarray(src, src + inner), b * inner);
    }
    outs.push(makeTensor(out, [batch, ...rest], 'float32'));
  }
  record('unstackTime', [x], outs.slice(), (dys) => [stackTime(dys)]);
  return outs;
}

/** Stacks `time` tensors `[batch, ...rest]` into `[batch, time, ...rest]`, as one tape node. */
function stackTime(steps: Tensor[]): Tensor {
  const [batch, ...rest] = steps[0].shape;
  const time = steps.length;
  const inner = sizeFromShape(rest);
  const out = new Float32Array(batch * time * inner);
  steps.forEach((s, t) => {
    const sv = s.values;
    for (let b = 0; b < batch; b++) out.set(sv.subarray(b * inner, (b + 1) * inner), (b * time + t) * inner);
  });
  const result = makeTensor(out, [batch, time, ...rest], 'float32');
  record('stackTime', steps, [result], ([dy]) => unstackTime(dy));
  return result;
}

/**
 * `keep ? next : prev` per batch row (`keep`: bool [batch]), selected exactly as Keras's and tfjs's `where`: a
 * masked step's value, even Infinity or NaN, never reaches the kept one. The gradient goes to the selected side.
 */
function blend(keep: Tensor, next: Tensor, prev: Tensor): Tensor {
  const m = next.rank > 1 ? reshape(keep, [keep.shape[0], ...new Array(next.rank - 1).fill(1)]) : keep;
  return where(m, next, prev);
}

/** Validates the mask and converts it to float32 `[batch, time]`. */
function normalizeMask(mask: Tensor, batch: number, time: number): Tensor {
  let m = mask;
  if (m.rank === 3 && m.shape[2] === 1) m = reshape(m, [m.shape[0], m.shape[1]]);
  if (m.rank !== 2 || m.shape[0] !== batch || m.shape[1] !== time) {
    throw new ValueError(`rnn: mask must have shape [batch, timeSteps] = [${batch},${time}], received ${formatShape(mask.shape)}.`);
  }
  if (m.dtype === 'float32') return m;
  return makeTensor(Float32Array.from(m.values), m.shape.slice(), 'float32');
}

/**
 * Iterates `stepFunction` over the time axis of `inputs` (`[batch, timeSteps, ...]`), as tfjs's `rnn`.
 *
 * Returns `[lastOutput, outputs, newStates]`: the output of the last processed step
 * `[batch, ...]`, all step outputs `[batch, timeSteps, ...]` (in processing order, so
 * reversed when `goBackwards`), and the final states.
 *
 * Where `mask` (`[batch, timeSteps]`, 0/1) is 0, states carry over unchanged and the step's
 * output repeats the previous output (zeros before the first step), as Keras does.
 * tfjs note: tfjs repeats `states[0]` instead of the previous output; they agree for the
 * built-in cells unless an initial state is given and the first step is masked.
 * tfjs note: `needPerStepOutputs` defaults to true here so `outputs` is always a tensor.
 *
 * ```js
 * const step = (x, [h]) => { const y = x.add(h).tanh(); return [y, [y]]; };
 * const [last, outputs, [hT]] = rnn(step, inputs, [zeros([batch, units])]);
 * ```
 */
export function rnn(
  stepFunction: RnnStepFunction,
  inputs: Tensor,
  initialStates: Tensor[],
  goBackwards = false,
  mask?: Tensor | null,
  constants?: Tensor[] | null,
  _unroll = false, // accepted for tfjs compatibility; the loop is always a loop
  needPerStepOutputs = true,
): [Tensor, Tensor, Tensor[]] {
  if (!(inputs instanceof Tensor)) throw new ValueError(`rnn: inputs must be a Tensor, received ${typeof inputs}.`);
  if (inputs.rank < 3)
    throw new ValueError(
      `rnn: inputs should be at least 3D ([batch, timeSteps, ...]), but is ${inputs.rank}D (shape ${formatShape(inputs.shape)}).`,
    );
  if (inputs.dtype !== 'float32') throw new ValueError(`rnn: inputs must be float32, received ${inputs.dtype}.`);
  const [batch, time] = inputs.shape;
  if (time === 0) throw new ValueError(`rnn: inputs have 0 time steps (shape ${formatShape(inputs.shape)}); at least one is needed.`);
  const states = initialStates ?? [];
  states.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new ValueError(`rnn: initialStates[${i}] must be a Tensor.`);
    if (s.shape[0] !== batch) {
      throw new ValueError(
        `rnn: initialStates[${i}] has batch size ${s.shape[0]} (shape ${formatShape(s.shape)}) but inputs have batch size ${batch}.`,
      );
    }
  });
  const maskF = mask ? normalizeMask(mask, batch, time) : null;
  const consts = constants ?? [];

  if (stepFunction.sequenceKernel) {
    return stepFunction.sequenceKernel(inputs, states, { goBackwards, mask: maskF, constants: consts, needPerStepOutputs });
  }

  const xs = unstackTime(inputs);
  const masks = maskF ? unstackTime(reshape(maskF, [batch, time, 1])).map((m) => notEqual(reshape(m, [batch]), 0)) : null;
  if (goBackwards) {
    xs.reverse();
    masks?.reverse();
  }
  let current = states;
  let prevOutput: Tensor | null = null;
  const outputs: Tensor[] = [];
  for (let t = 0; t < time; t++) {
    const [stepOut, newStates] = stepFunction(xs[t], current, consts);
    if (newStates.length !== current.length) {
      throw new ValueError(`rnn: the step function returned ${newStates.length} states but received ${current.length}.`);
    }
    let output = stepOut;
    if (masks) {
      const m = masks[t];
      prevOutput = prevOutput ?? makeTensor(new Float32Array(stepOut.size), stepOut.shape.slice(), 'float32');
      output = blend(m, stepOut, prevOutput);
      current = newStates.map((s, i) => blend(m, s, current[i]));
    } else {
      current = newStates;
    }
    prevOutput = output;
    if (needPerStepOutputs) outputs.push(output);
  }
  const lastOutput = prevOutput as Tensor;
  const stacked = needPerStepOutputs
    ? stackTime(outputs)
    : makeTensor(new Float32Array(0), [batch, 0, ...lastOutput.shape.slice(1)], 'float32');
  return [lastOutput, stacked, current];
}
