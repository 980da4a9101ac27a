/** Variable: a mutable tensor holding trainable state (weights), as tfjs's `tf.variable`. */
import { convertValues, DataType, TypedArray } from './dtype';
import { formatShape, shapesEqual } from './shape';
import { Tensor } from './tensor';
import { ValueError } from './errors';

/** What the registry holds: a WeakRef where the engine has one (ES2021), else the variable itself. */
interface VariableRef {
  deref(): Variable | undefined;
}
const hasWeakRef = typeof (globalThis as { WeakRef?: unknown }).WeakRef === 'function';
/** ES2020 engines (no WeakRef): the registry keeps variables until dispose() (as tfjs's registry does). */
function refTo(v: Variable): VariableRef {
  return hasWeakRef ? new WeakRef(v) : { deref: () => v };
}
const registry = new Map<string, VariableRef>();
let nextVariableId = 0;

/**
 * A tensor whose value can be replaced with `assign`. Gradients are taken with respect to
 * variables by `variableGrads`; optimizers update them in place.
 */
export class Variable extends Tensor {
  /** Unique name (tfjs throws on duplicates; we do too). */
  readonly name: string;
  /** Whether `variableGrads` (and optimizers) consider this variable by default. */
  trainable: boolean;

  /** @internal use `variable()`. */
  constructor(initial: Tensor, trainable: boolean, name: string | undefined, dtype: DataType) {
    super(initial.values.slice() as TypedArray, initial.shape.slice(), dtype);
    this.trainable = trainable;
    this.name = name ?? `Variable${nextVariableId++}`;
    const existing = registry.get(this.name)?.deref();
    if (existing && !existing.isDisposed) {
      throw new ValueError(`Variable with name ${this.name} was already registered.`);
    }
    registry.set(this.name, refTo(this));
  }

  /** Replaces the value; the new value must have the same shape and dtype. */
  assign(newValue: Tensor): void {
    if (newValue.dtype !== this.dtype) {
      throw new ValueError(
        `Variable ${this.name}: dtype of the new value (${newValue.dtype}) and previous value (${this.dtype}) must match.`,
      );
    }
    if (!shapesEqual(newValue.shape, this.shape)) {
      throw new ValueError(
        `Variable ${this.name}: shape of the new value ${formatShape(newValue.shape)} and previous value ${formatShape(this.shape)} must match.`,
      );
    }
    this._values = newValue.values;
  }

  override dispose(): void {
    super.dispose();
    if (registry.get(this.name)?.deref() === this) registry.delete(this.name);
  }
}

/** All live trainable variables, in creation order (the default list of `variableGrads`). */
export function registeredTrainableVariables(): Variable[] {
  const out: Variable[] = [];
  for (const [name, ref] of registry) {
    const v = ref.deref();
    if (!v) registry.delete(name);
    else if (v.trainable && !v.isDisposed) out.push(v);
  }
  return out;
}

/**
 * Creates a Variable from an initial value.
 *
 * ```js
 * const w = variable(zeros([3, 4]), true, 'dense/kernel');
 * w.assign(ones([3, 4]));
 * ```
 */
export function variable(initialValue: Tensor, trainable = true, name?: string, dtype?: DataType): Variable {
  if (!(initialValue instanceof Tensor)) {
    throw new ValueError(`variable: initialValue must be a Tensor, received ${typeof initialValue}.`);
  }
  const d = dtype ?? initialValue.dtype;
  const init = d === initialValue.dtype ? initialValue : new Tensor(convertValues(initialValue.values, d), initialValue.shape, d);
  return new Variable(init, trainable, name, d);
}

/** The live variable registered under `name`, if any (tfjs: `ENGINE.registeredVariables[name]`). */
export function findVariable(name: string): Variable | undefined {
  const v = registry.get(name)?.deref();
  return v && !v.isDisposed ? v : undefined;
}

/**
 * Disposes every live variable (trainable or not) and empties the registry, as tfjs's `disposeVariables()`: the
 * weights of every model and layer built so far are released too, so call it between independent experiments.
 *
 * ```js
 * const w = variable(zeros([2]));
 * disposeVariables();   // w.isDisposed === true
 * ```
 */
export function disposeVariables(): void {
  for (const ref of [...registry.values()]) {
    const v = ref.deref();
    if (v && !v.isDisposed) v.dispose();
  }
  registry.clear();
}
