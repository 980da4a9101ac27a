/**
 * A scoped policy for `Layer.addWeight`, used by model loading (issue #13 item 5): a budget of weight
 * elements checked BEFORE each weight is allocated (so a tiny hostile topology cannot make the loader spend
 * seconds or gigabytes before it finds out the file cannot fill those weights), and the option to skip the
 * initializers of weights whose values are about to be replaced (tfjs issue #690): they start as zeros.
 *
 * ```ts
 * withWeightCreationPolicy({maxElements: 1000, skipInitializers: true, why: 'the file has 1000 weight values'}, () => model.add(layer));
 * ```
 */
import { zeros, type DataType, type Tensor, ValueError } from '@recurrent/core';

/** What `addWeight` does while a policy is in force. */
export interface WeightCreationPolicy {
  /** Most elements all weights created under the policy may hold together. */
  maxElements: number;
  /** Create weights as zeros instead of running their initializers (their values are replaced right after). */
  skipInitializers: boolean;
  /** Why the budget is what it is (ends the error message: "... exceeds <maxElements>: <why>"). */
  why: string;
}

interface Active extends WeightCreationPolicy {
  used: number;
}

const stack: Active[] = [];

/** Runs `fn` with `policy` in force for every `addWeight` call it makes (nested policies: the innermost). */
export function withWeightCreationPolicy<T>(policy: WeightCreationPolicy, fn: () => T): T {
  stack.push({ ...policy, used: 0 });
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

/** Elements of weights created under the innermost policy so far (0 without one). */
export function weightElementsCreated(): number {
  return stack.length ? stack[stack.length - 1].used : 0;
}

/**
 * Called by `addWeight` before allocating: charges the budget (throwing, naming the layer and weight,
 * when it is exceeded) and returns the initial value when the initializer is skipped, else null.
 */
export function chargeWeight(layerName: string, weightName: string, shape: number[], dtype: DataType): Tensor | null {
  const p = stack[stack.length - 1];
  if (!p) return null;
  let n = 1;
  for (const d of shape) n *= d;
  p.used += n;
  if (p.used > p.maxElements) {
    throw new ValueError(
      `Layer ${layerName}: weight '${weightName}' [${shape.join(',')}] brings the weights created so far to ${p.used} values, ` +
        `more than ${p.maxElements}: ${p.why}; refusing to allocate it.`,
    );
  }
  return p.skipInitializers ? zeros(shape, dtype) : null;
}
