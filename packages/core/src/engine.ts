/**
 * The autograd recorder. Two ways of recording, one node type:
 *
 * 1. **Gradient scopes (tfjs / Keras style).** While `grads`, `variableGrads`, ... run their function,
 *    every differentiable op pushes one node (inputs, outputs, backward function) on the scope's tape.
 *
 * 2. **The implicit graph (PyTorch style, `loss.backward()`).** Outside any scope, an op whose inputs
 *    include a tensor with `requiresGrad` stores its node on its outputs (`output.gradFn`) and marks them
 *    `requiresGrad`. Nothing is stored when no input requires grad (plain inference, Keras layers whose
 *    variables do not require grad) or inside `noGrad(fn)`. The graph is reachable only from the tensors
 *    that were produced, so it is garbage-collected with them; `backward()` also releases the nodes it
 *    walked (unless `retainGraph`). Parameters of `nn` modules require grad; everything else starts
 *    with `requiresGrad = false` (set it with `tensor.requiresGrad_()`; nn optimizers set it on the
 *    parameters they are given).
 *
 * Backward functions run with recording paused (no graph of the gradient is built: no double backward).
 */
import type { Tensor } from './tensor';

/** One recorded op. `backward` receives a gradient for every output (zeros filled in). */
export interface TapeNode {
  kernelName: string;
  inputs: Tensor[];
  outputs: Tensor[];
  backward: (dys: Tensor[]) => (Tensor | null)[];
  /** Set once `backward()` released the node (its inputs and backward function are dropped). */
  freed?: boolean;
  /**
   * Frees what the node keeps for its backward outside the JavaScript heap (a fused kernel's saved buffers
   * resident in wasm memory). Called once, by `disposeNode`, when no backward can run through the node any more:
   * after `backward()` released it, or when the outermost gradient scope that recorded it has finished.
   */
  dispose?: () => void;
  /** True when the node is on the implicit graph (its outputs' `gradFn`): only `backward()` or the GC ends it then. */
  implicit?: boolean;
}

const tapes: TapeNode[][] = [];
let pauseDepth = 0;
let noGradDepth = 0;
let nodeCount = 0;

/**
 * True when an op with these inputs records itself (a gradient scope is active, or — with `inputs` given —
 * one of them requires grad and no `noGrad()` is active). Kernels use it to decide whether to keep what
 * their backward needs.
 */
export function isRecording(inputs?: Tensor[]): boolean {
  if (pauseDepth > 0) return false;
  if (tapes.length > 0) return true;
  return inputs !== undefined && noGradDepth === 0 && inputs.some((t) => t.requiresGrad);
}

/**
 * Records an op: on the active gradient scope's tape, and/or on its outputs (`gradFn`) when an input
 * requires grad (see the header). A no-op otherwise, so inference pays one check per op. `dispose` (optional)
 * frees what the backward keeps outside the JavaScript heap (see `TapeNode.dispose`). Returns whether the op
 * was recorded (when not, nothing will call `dispose`: the caller frees at once).
 */
export function record(
  kernelName: string,
  inputs: Tensor[],
  outputs: Tensor[],
  backward: (dys: Tensor[]) => (Tensor | null)[],
  dispose?: () => void,
): boolean {
  if (pauseDepth > 0) return false;
  const implicit = noGradDepth === 0 && inputs.some((t) => t.requiresGrad);
  if (tapes.length === 0 && !implicit) return false;
  const node: TapeNode = { kernelName, inputs, outputs, backward };
  if (dispose) node.dispose = dispose;
  if (implicit) node.implicit = true;
  nodeCount++;
  if (tapes.length > 0) tapes[tapes.length - 1].push(node);
  if (implicit) {
    for (const o of outputs) {
      // An op may return one of its inputs unchanged (reshape to the same shape); never make a leaf its own producer.
      if (inputs.includes(o)) continue;
      o.gradFn = node;
      o.requiresGrad = true;
    }
  }
  return true;
}

/** Runs the node's `dispose` once (later calls do nothing). */
export function disposeNode(node: TapeNode): void {
  const d = node.dispose;
  if (!d) return;
  node.dispose = undefined;
  d();
}

/**
 * Ends a gradient scope's tape once its backprop is done: when no enclosing scope holds the nodes (they were
 * copied up to it otherwise), each node not on the implicit graph is disposed (no backward can reach it again).
 */
export function releaseTape(tape: TapeNode[]): void {
  if (tapes.length > 0) return;
  for (const node of tape) if (!node.implicit) disposeNode(node);
}

/**
 * How many op nodes have been recorded since the process started (gradient scopes and the implicit graph).
 * Tests use it to check that inference under `noGrad()` or with no grad-requiring input records nothing.
 */
export function recordedNodeCount(): number {
  return nodeCount;
}

/** Runs `fn` with recording paused (used by customGrad bodies and by backward passes). */
export function withoutTape<T>(fn: () => T): T {
  pauseDepth++;
  try {
    return fn();
  } finally {
    pauseDepth--;
  }
}

/**
 * Runs `fn` without building the implicit graph (PyTorch's `torch.no_grad()`): results of ops on tensors that
 * require grad do not require grad, and nothing is kept for a backward pass. Use it for inference and for
 * hand-written parameter updates. Explicit gradient functions (`variableGrads`, `grads`) called inside still
 * work: they ask for gradients explicitly.
 *
 * ```js
 * const logits = noGrad(() => model.forward(x));   // no graph kept
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  noGradDepth++;
  try {
    return fn();
  } finally {
    noGradDepth--;
  }
}

/** True inside `noGrad()` (PyTorch: `not torch.is_grad_enabled()`). */
export function isNoGrad(): boolean {
  return noGradDepth > 0;
}

/**
 * Runs `fn` on a fresh tape and returns its result with the recorded nodes. Nested scopes record to their own tape
 * and are copied up. The caller runs `releaseTape(tape)` after its backprop.
 */
export function withTape<T>(fn: () => T): { result: T; tape: TapeNode[] } {
  const tape: TapeNode[] = [];
  const savedPause = pauseDepth;
  pauseDepth = 0;
  tapes.push(tape);
  let done = false;
  try {
    const result = fn();
    done = true;
    return { result, tape };
  } finally {
    tapes.pop();
    pauseDepth = savedPause;
    // An enclosing gradient scope also sees what this scope recorded (so grads can nest around variableGrads).
    if (tapes.length > 0) tapes[tapes.length - 1].push(...tape);
    else if (!done) releaseTape(tape); // fn threw: no backprop will run through this tape
  }
}
