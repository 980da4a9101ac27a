/**
 * Reverse-mode autograd with tfjs's API: grad, grads, valueAndGrad, valueAndGrads,
 * variableGrads, and customGrad (a function with a hand-written backward that enters
 * the tape as a single node — how fused recurrent kernels plug in).
 */
import { disposeNode, record, releaseTape, TapeNode, withoutTape, withTape } from './engine';
import { makeTensor, Tensor } from './tensor';
import { registeredTrainableVariables, Variable } from './variable';
import { add } from './ops/arithmetic';
import { formatShape, shapesEqual } from './shape';
import { ValueError } from './errors';

/** Backpropagates `dy` from `y` through `tape`; returns the gradient of each of `xs` (zeros where unconnected). */
function backprop(tape: TapeNode[], y: Tensor, dy: Tensor, xs: Tensor[]): Tensor[] {
  // Keep only nodes on a path from some x to y.
  const fromX = new Set<number>(xs.map((x) => x.id));
  const forward: boolean[] = tape.map((node) => {
    const reached = node.inputs.some((t) => fromX.has(t.id));
    if (reached) for (const o of node.outputs) fromX.add(o.id);
    return reached;
  });
  const toY = new Set<number>([y.id]);
  const keep: boolean[] = new Array(tape.length).fill(false);
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (!forward[i] || !node.outputs.some((o) => toY.has(o.id))) continue;
    keep[i] = true;
    for (const t of node.inputs) toY.add(t.id);
  }

  const gradOf = new Map<number, Tensor>([[y.id, dy]]);
  withoutTape(() => {
    for (let i = tape.length - 1; i >= 0; i--) {
      if (!keep[i]) continue;
      const node = tape[i];
      if (!node.outputs.some((o) => gradOf.has(o.id))) continue;
      const dys = node.outputs.map((o) => gradOf.get(o.id) ?? zerosOf(o));
      const dxs = node.backward(dys);
      node.inputs.forEach((input, k) => {
        const dx = dxs[k];
        if (!dx || !toY.has(input.id)) return;
        if (!shapesEqual(dx.shape, input.shape)) {
          // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
          throw new Error(
            `Internal error in the gradient of ${node.kernelName}: input ${k} has shape ${formatShape(input.shape)} but its gradient has shape ${formatShape(dx.shape)}.`,
          );
        }
        const prev = gradOf.get(input.id);
        gradOf.set(input.id, prev ? add(prev, dx) : dx);
      });
    }
  });
  return xs.map((x) => gradOf.get(x.id) ?? zerosOf(x));
}

function zerosOf(t: Tensor): Tensor {
  return makeTensor(new Float32Array(t.size), t.shape.slice(), 'float32');
}

function onesOf(t: Tensor): Tensor {
  return makeTensor(new Float32Array(t.size).fill(1), t.shape.slice(), 'float32');
}

function checkDy(y: Tensor, dy: Tensor | undefined, fnName: string): Tensor {
  if (!(y instanceof Tensor)) throw new ValueError(`${fnName}: the function must return a Tensor, received ${typeof y}.`);
  if (dy === undefined) return onesOf(y);
  if (!shapesEqual(dy.shape, y.shape)) {
    throw new ValueError(`${fnName}: dy has shape ${formatShape(dy.shape)} but the function's output has shape ${formatShape(y.shape)}.`);
  }
  return dy;
}

function checkXs(xs: Tensor[], fnName: string): void {
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new ValueError(`${fnName}: argument ${i} must be a Tensor, received ${typeof x}.`);
    if (x.dtype !== 'float32') throw new ValueError(`${fnName}: gradients need float32 inputs; argument ${i} is ${x.dtype}.`);
  });
}

/** Value and gradients of `f(...xs)` with respect to each of `xs`. */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (args, dy) => {
    checkXs(args, 'valueAndGrads');
    const { result, tape } = withTape(() => f(...args));
    try {
      const grads = backprop(tape, result, checkDy(result, dy, 'valueAndGrads'), args);
      return { value: result, grads };
    } finally {
      releaseTape(tape);
    }
  };
}

/** Gradients of `f(...xs)` with respect to each of `xs`. */
export function grads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => Tensor[] {
  const vg = valueAndGrads(f);
  return (args, dy) => vg(args, dy).grads;
}

/** Value and gradient of `f(x)` with respect to `x`. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  const vg = valueAndGrads(f);
  return (x, dy) => {
    const { value, grads: g } = vg([x], dy);
    return { value, grad: g[0] };
  };
}

/**
 * Gradient of `f(x)` with respect to `x`.
 *
 * ```js
 * const df = grad((x) => x.square());   // d/dx x² = 2x
 * df(tensor1d([1, 2])).print();          // [2, 4]
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  const vg = valueAndGrads(f);
  return (x, dy) => vg([x], dy).grads[0];
}

/**
 * Value of the scalar `f()` and its gradients with respect to `varList`
 * (default: all trainable variables), keyed by variable name.
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: { [name: string]: Tensor } } {
  const vars = varList ?? registeredTrainableVariables();
  vars.forEach((v, i) => {
    if (!(v instanceof Variable)) throw new ValueError(`variableGrads: varList[${i}] is not a Variable.`);
  });
  const { result, tape } = withTape(f);
  let g: Tensor[];
  try {
    if (!(result instanceof Tensor) || result.rank !== 0) {
      throw new ValueError(
        `variableGrads: the function must return a scalar Tensor, received ${result instanceof Tensor ? `shape ${formatShape(result.shape)}` : typeof result}.`,
      );
    }
    g = backprop(tape, result, onesOf(result), vars);
  } finally {
    releaseTape(tape);
  }
  const out: { [name: string]: Tensor } = {};
  vars.forEach((v, i) => (out[v.name] = g[i]));
  return { value: result, grads: out };
}

/** What a customGrad body returns: the value(s) and the backward from output gradient(s) to input gradients. */
export interface CustomGradResult<V extends Tensor | Tensor[]> {
  value: V;
  gradFunc: (dy: V, saved: Tensor[]) => Tensor | Tensor[];
  /**
   * Optional: frees what `gradFunc` keeps outside the JavaScript heap (e.g. buffers resident in wasm memory),
   * called once when no backward can run through the node any more (see `TapeNode.dispose`), or at once when
   * nothing recorded the call.
   */
  dispose?: () => void;
}

/** Passed to a customGrad body to keep tensors for its backward. */
export type GradSaveFunc = (save: Tensor[]) => void;

/**
 * Wraps `f` so that it enters the tape as one node whose backward is `gradFunc`.
 * `value` may be one tensor or an array (multi-output kernels such as a fused LSTM sequence);
 * the backward then receives one gradient per output (zeros where unused).
 *
 * ```js
 * const square = customGrad((x, save) => {
 *   save([x]);
 *   return { value: x.square(), gradFunc: (dy, [x]) => dy.mul(x.mul(2)) };
 * });
 * ```
 */
export function customGrad<V extends Tensor | Tensor[]>(f: (...args: any[]) => CustomGradResult<V>): (...args: Tensor[]) => V {
  return (...inputs: Tensor[]) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ValueError(`customGrad: input ${i} must be a Tensor, received ${typeof x}.`);
    });
    let saved: Tensor[] = [];
    const save: GradSaveFunc = (s) => {
      saved = s;
    };
    const { value, gradFunc, dispose } = withoutTape(() => f(...inputs, save));
    const outputs = Array.isArray(value) ? (value as Tensor[]) : [value as Tensor];
    const recorded = record(
      'customGrad',
      inputs,
      outputs,
      (dys) => {
        const g = gradFunc((Array.isArray(value) ? dys : dys[0]) as V, saved);
        const list = Array.isArray(g) ? g : [g];
        if (list.length !== inputs.length) {
          throw new ValueError(`customGrad: gradFunc returned ${list.length} gradients for ${inputs.length} inputs.`);
        }
        return list;
      },
      dispose,
    );
    if (!recorded && dispose) dispose();
    return value;
  };
}

/** Options of `tensor.backward()`. */
export interface BackwardOptions {
  /** Keep the graph so that `backward()` may run through it again (default false: the nodes are released). */
  retainGraph?: boolean;
}

/**
 * Backpropagates from `y` through the implicit graph (see engine.ts) and adds the gradient of every leaf that
 * requires grad to its `.grad` (PyTorch's `loss.backward()`). `gradient` (dL/dy) may be omitted only for a
 * scalar `y`. Unless `retainGraph`, the walked nodes are released afterwards, so a second `backward()`
 * through them throws.
 *
 * ```js
 * const loss = nn.functional... // any scalar computed from parameters
 * loss.backward();
 * model.parameters()[0].grad;   // dLoss/dParam
 * ```
 */
export function backward(y: Tensor, gradient?: Tensor | null, options: BackwardOptions = {}): void {
  if (!(y instanceof Tensor)) throw new ValueError(`backward: expected a Tensor, received ${typeof y}.`);
  if (!y.requiresGrad) {
    throw new ValueError(
      `backward: tensor ${y.id} (shape ${formatShape(y.shape)}) does not require grad and has no graph: none of the tensors it was computed from requires grad (parameters of nn modules do; see requiresGrad_()), or it was computed inside noGrad().`,
    );
  }
  let dy: Tensor;
  if (gradient === undefined || gradient === null) {
    if (y.size !== 1) {
      throw new ValueError(
        `backward: the gradient can be implied only for a scalar output; this tensor has shape ${formatShape(y.shape)}. Pass backward(gradient) with a Tensor of shape ${formatShape(y.shape)}, or reduce it first (loss.sum(), loss.mean()).`,
      );
    }
    dy = onesOf(y);
  } else {
    if (!(gradient instanceof Tensor))
      throw new ValueError(`backward: gradient must be a Tensor of shape ${formatShape(y.shape)}, received ${typeof gradient}.`);
    if (!shapesEqual(gradient.shape, y.shape)) {
      throw new ValueError(`backward: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(y.shape)}.`);
    }
    dy = gradient.dtype === 'float32' ? gradient : makeTensor(Float32Array.from(gradient.values), gradient.shape.slice(), 'float32');
  }
  const retain = !!options?.retainGraph;

  // Nodes reachable from y, in topological order (producers before consumers), by an iterative DFS.
  const order: TapeNode[] = [];
  const visited = new Set<TapeNode>();
  const root = y.gradFn;
  if (root) {
    const stack: [TapeNode, number][] = [[root, 0]];
    visited.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, k] = top;
      if (node.freed) {
        throw new ValueError(
          `backward: trying to backward through the graph a second time (node '${node.kernelName}' was released by an earlier backward()); pass {retainGraph: true} to the first backward() if you need to, or, for a state carried over from an earlier batch (truncated backpropagation through time), detach() it before reusing it.`,
        );
      }
      if (k < node.inputs.length) {
        top[1]++;
        const p = node.inputs[k].gradFn;
        if (p && !visited.has(p)) {
          visited.add(p);
          stack.push([p, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }

  const gradOf = new Map<Tensor, Tensor>([[y, dy]]);
  const leaves: Tensor[] = [];
  const accumulate = (t: Tensor, g: Tensor) => {
    const prev = gradOf.get(t);
    if (!prev && !t.gradFn) leaves.push(t);
    gradOf.set(t, prev ? add(prev, g) : g);
  };
  withoutTape(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      if (!node.outputs.some((o) => gradOf.has(o))) continue;
      const dys = node.outputs.map((o) => gradOf.get(o) ?? zerosOf(o));
      const dxs = node.backward(dys);
      node.inputs.forEach((input, k) => {
        const dx = dxs[k];
        if (!dx || !input.requiresGrad) return;
        if (!shapesEqual(dx.shape, input.shape)) {
          // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
          throw new Error(
            `Internal error in the gradient of ${node.kernelName}: input ${k} has shape ${formatShape(input.shape)} but its gradient has shape ${formatShape(dx.shape)}.`,
          );
        }
        accumulate(input, dx);
      });
      // Intermediate gradients are no longer needed once their producer has run.
      for (const o of node.outputs) if (o !== y && o.gradFn === node) gradOf.delete(o);
    }
    if (!root) leaves.push(y);
    for (const leaf of leaves) {
      const g = gradOf.get(leaf)!;
      leaf.grad = leaf.grad
        ? add(leaf.grad, g)
        : g === dy && leaf === y
          ? makeTensor(Float32Array.from(g.values as Float32Array), g.shape.slice(), 'float32')
          : g;
    }
  });
  if (!retain) {
    for (const node of order) {
      node.freed = true;
      node.inputs = [];
      node.backward = releasedBackward;
      disposeNode(node);
    }
  }
}

function releasedBackward(): never {
  throw new ValueError('backward: this graph node was released by an earlier backward().');
}
