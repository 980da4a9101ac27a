/**
 * Optimizer base class with tfjs's API (`minimize`, `computeGradients`, `applyGradients`,
 * `getConfig`, static `className`/`fromConfig`). Subclasses implement one update kernel that runs
 * over a variable's Float32Array in a single pass; the base class handles gradient formats,
 * Keras-style clipping, optimizer state (slots) and variable lookup.
 */
import { findVariable, Tensor, Variable, formatShape, shapesEqual, variableGrads, ValueError } from '@recurrent/core';
import { CLIP_KEYS, ClipOptions, checkClipOptions, clipGradientArrays } from './clip';
import { LearningRateSchedule, ScheduleConfig, deserializeSchedule, isScheduleConfig } from './schedules';

/** A gradient keyed by variable name, as tfjs's `NamedTensor`. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** Gradients keyed by variable name, as tfjs's `NamedTensorMap`. */
export type NamedTensorMap = { [name: string]: Tensor };

/** A plain config dictionary (`getConfig()` / `fromConfig()`). */
export type OptimizerConfig = { [key: string]: number | boolean | null | undefined | ScheduleConfig };

/** A learning rate: a number, a schedule of the step, or a serialized schedule `{className, config}`. */
export type LearningRate = number | LearningRateSchedule | ScheduleConfig;

/** Constructor shape used by `fromConfig`. */
export interface OptimizerConstructor<T extends Optimizer = Optimizer> {
  new (...args: any[]): T;
  readonly className: string;
  fromConfig(cls: any, config: OptimizerConfig): Optimizer;
}

/**
 * An optimizer's training state as plain JSON: the step count, each variable's slot arrays (by variable name) and
 * the per-step scalars a subclass keeps (Adam's β powers, ...). What `backupAndRestore` saves and restores.
 */
export interface OptimizerState {
  iterations: number;
  slots: { [variableName: string]: { [slotName: string]: number[] } };
  scalars: { [name: string]: number };
}

/** Default epsilon, as tfjs's cpu backend `epsilon()` and tfjs-layers' `epsilon()`. */
export const EPSILON = 1e-7;

/**
 * Base class of all optimizers.
 *
 * tfjs note: optimizer state is keyed by variable name (tfjs keys it by the position of the
 * gradient in the `applyGradients` argument, which silently mixes state up when the set of
 * variables changes between calls). Clipping options (`clipnorm`, `clipvalue`, `globalClipnorm`)
 * come from Keras; tfjs has none.
 */
export abstract class Optimizer {
  /** Registered name used in configs and serialization ('SGD', 'Adam', ...). */
  static readonly className: string = 'Optimizer';
  /**
   * The hyperparameters of the config, in the order the constructor takes them (before its trailing clip
   * options): `getConfig()` writes these fields, `fromConfig` passes them back positionally and `train.xxx({...})`
   * accepts them. Empty here: a subclass without its own list is built from the whole config (`new cls(config)`).
   */
  static readonly configKeys: readonly string[] = [];

  /** Keras-style gradient clipping applied in `applyGradients` before the update. */
  readonly clipOptions: ClipOptions;

  protected iterations_ = 0;
  /** The learning-rate schedule given for `learningRate`, evaluated before each update (null: a fixed rate). */
  learningRateSchedule: LearningRateSchedule | null = null;
  /** Per-variable state arrays, mutated in place (they are not Tensors). */
  private readonly slots = new Map<string, Map<string, Float32Array>>();
  /** Variables seen by this optimizer (from `minimize` varLists and earlier lookups). */
  private readonly known = new Map<string, Variable>();

  protected constructor(clipOptions?: ClipOptions) {
    this.clipOptions = checkClipOptions((this.constructor as typeof Optimizer).className, clipOptions);
  }

  /**
   * Reads a `learningRate` argument: a number is checked and returned; a schedule (or a serialized one) is
   * kept in `learningRateSchedule` and its value at the current step returned. Optimizers with a
   * `learningRate` field set it from this; callbacks may assign `learningRate` when there is no schedule.
   */
  protected initLearningRate(value: unknown): number {
    if (isScheduleConfig(value)) value = deserializeSchedule(value);
    if (value instanceof LearningRateSchedule) {
      this.learningRateSchedule = value;
      return value.call(this.iterations_);
    }
    this.learningRateSchedule = null;
    return this.checkArg('learningRate', value);
  }

  /** `value` checked as this optimizer's hyperparameter `name`: a non-negative number (errors name both). */
  protected checkArg(name: string, value: unknown): number {
    return checkNumber(`${this.getClassName()}: ${name}`, value);
  }

  /** The `epsilon` argument checked, or the default `EPSILON` when it is null or undefined. */
  protected epsilonArg(epsilon: number | null | undefined): number {
    return epsilon == null ? EPSILON : this.checkArg('epsilon', epsilon);
  }

  /** The number of `applyGradients` calls so far. */
  get iterations(): number {
    return this.iterations_;
  }

  /** The class name, as tfjs's `getClassName()`. */
  getClassName(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /**
   * Runs `f()`, computes the gradients of its scalar result with respect to `varList`
   * (default: all trainable variables) and applies them. Returns the cost when `returnCost`.
   */
  minimize(f: () => Tensor, returnCost = false, varList?: Variable[]): Tensor | null {
    const { value, grads } = this.computeGradients(f, varList);
    if (varList != null) {
      this.applyGradients(
        varList.map((v) => ({ name: v.name, tensor: grads[v.name] })),
        varList,
      );
    } else {
      this.applyGradients(grads);
    }
    return returnCost ? value : null;
  }

  /** Value of the scalar `f()` and its gradients with respect to `varList`, keyed by name (tfjs's `variableGrads`). */
  computeGradients(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: NamedTensorMap } {
    return variableGrads(f, varList);
  }

  /**
   * Updates variables from their gradients, given as `{name: grad}` or `[{name, tensor}]`.
   * Missing (null/undefined) gradients are skipped, as in tfjs. Variables are found by name among
   * `varList`, the variables this optimizer has seen before, and core's variable registry.
   *
   * tfjs note: the optional `varList` is an addition (tfjs always looks names up in its engine).
   */
  applyGradients(variableGradients: NamedTensorMap | NamedTensor[], varList?: Variable[]): void {
    const owner = `${this.getClassName()}.applyGradients`;
    if (varList != null) {
      varList.forEach((v, i) => {
        if (!(v instanceof Variable)) throw new ValueError(`${owner}: varList[${i}] is not a Variable.`);
        this.known.set(v.name, v);
      });
    }
    if (variableGradients == null || typeof variableGradients !== 'object') {
      throw new ValueError(`${owner}: expected {name: gradient} or [{name, tensor}], received ${String(variableGradients)}.`);
    }
    const entries: [string, Tensor | null | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((e, i) => {
          if (e == null || typeof e.name !== 'string') {
            throw new ValueError(`${owner}: entry ${i} must be {name: string, tensor: Tensor}, received ${String(e)}.`);
          }
          return [e.name, e.tensor] as [string, Tensor | null | undefined];
        })
      : Object.keys(variableGradients).map((name) => [name, variableGradients[name]] as [string, Tensor]);

    const vars: Variable[] = [];
    const grads: Float32Array[] = [];
    for (const [name, g] of entries) {
      if (g == null) continue;
      const v = this.resolveVariable(name, owner);
      if (!(g instanceof Tensor)) throw new ValueError(`${owner}: the gradient of '${name}' must be a Tensor, received ${typeof g}.`);
      if (!shapesEqual(g.shape, v.shape)) {
        throw new ValueError(
          `${owner}: the gradient of '${name}' has shape ${formatShape(g.shape)} but the variable has shape ${formatShape(v.shape)}.`,
        );
      }
      if (v.dtype !== 'float32') throw new ValueError(`${owner}: variable '${name}' is ${v.dtype}; only float32 variables can be trained.`);
      vars.push(v);
      // A private float32 copy, so clipping may work in place.
      grads.push(Float32Array.from(g.values));
    }
    clipGradientArrays(grads, this.clipOptions);
    if (this.learningRateSchedule)
      (this as unknown as { learningRate: number }).learningRate = this.learningRateSchedule.call(this.iterations_);
    this.beginStep();
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k];
      const out = new Float32Array(v.size);
      this.updateVariable(v.name, v.values as Float32Array, grads[k], out);
      v.assign(new Tensor(out, v.shape.slice(), 'float32'));
    }
    this.endStep();
    this.iterations_++;
  }

  /** Config dictionary: the class's `configKeys` fields (tfjs keys), plus clip options when set. */
  getConfig(): OptimizerConfig {
    const config: OptimizerConfig = {};
    for (const key of (this.constructor as typeof Optimizer).configKeys) config[key] = (this as unknown as OptimizerConfig)[key];
    // A schedule replaces the numeric learningRate.
    // tfjs note: tfjs has no schedules; a config holding one loads in Keras-style readers, not in tfjs.
    if (this.learningRateSchedule) config.learningRate = this.learningRateSchedule.serialize();
    return { ...config, ...this.clipOptions };
  }

  /**
   * The training state (step count, slot arrays, step scalars) as plain JSON, to resume training later with
   * `setState` (as Keras's weights files hold the optimizer's variables). tfjs note: an addition.
   */
  getState(): OptimizerState {
    const slots: OptimizerState['slots'] = {};
    for (const [variableName, m] of this.slots) {
      const own: { [slotName: string]: number[] } = (slots[variableName] = {});
      for (const [slotName, arr] of m) own[slotName] = Array.from(arr);
    }
    return { iterations: this.iterations_, slots, scalars: this.stepScalars() };
  }

  /**
   * Restores a `getState()` snapshot; `rename` maps the saved variable names to the current ones (the same weights
   * in a new model are named anew). Replaces any state this optimizer had.
   */
  setState(state: OptimizerState, rename: (savedName: string) => string = (n) => n): void {
    const owner = `${this.getClassName()}.setState`;
    if (state == null || typeof state !== 'object' || !Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new ValueError(`${owner}: expected {iterations, slots, scalars} from getState(), received ${describeArg(state)}.`);
    }
    const slots = new Map<string, Map<string, Float32Array>>();
    for (const savedName of Object.keys(state.slots ?? {})) {
      const m = new Map<string, Float32Array>();
      for (const [slotName, values] of Object.entries(state.slots[savedName] ?? {})) {
        if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
          throw new ValueError(
            `${owner}: slot '${slotName}' of '${savedName}' must be an array of finite numbers, received ${describeArg(values)}.`,
          );
        }
        m.set(slotName, Float32Array.from(values));
      }
      slots.set(rename(savedName), m);
    }
    this.slots.clear();
    for (const [name, m] of slots) this.slots.set(name, m);
    this.iterations_ = state.iterations;
    this.setStepScalars(state.scalars ?? {});
  }

  /**
   * The optimizer's state as tfjs's named weights (tfjs's `getWeights`): `iter` (an int32 scalar, the step count), then
   * the state of each variable grouped by kind, in tfjs's names and order — Adam: `[iter, w1/m, w2/m, w1/v, w2/v]`
   * (`w1` a variable's name). Before the first step only `iter`. With `varList`, the variables are those, in that
   * order (a model's trainable weights, as tfjs's `fit` passes them), and state not yet created is written as its
   * initial value; without, the variables this optimizer has updated, in the order of their first update.
   *
   * ```js
   * const weights = await model.optimizer.getWeights();  // [{name: 'iter', tensor}, {name: 'dense/kernel/m', tensor}, ...]
   * ```
   *
   * tfjs note: the optional `varList` is an addition. Adamax writes `m`, `v` (tfjs 4.22's Adamax refuses
   * getWeights/setWeights); AdamW and Nadam, which tfjs lacks, write `m`, `v` too (their step scalars follow from `iter`).
   */
  getWeights(varList?: Variable[]): Promise<NamedTensor[]> {
    // The code is imported on first use (a model that only predicts or trains does not load it).
    return import('./optimizer_weights').then((m) => m.optimizerWeights(this, varList));
  }

  /**
   * Restores the state from tfjs-style named weights (tfjs's `setWeights`; what `getWeights` returns): `iter` first,
   * then `<variable>/<slot>` for every variable (each of the optimizer's slots), each of its variable's shape and
   * finite. Replaces any state this optimizer had; step scalars (Adam's β powers) follow from `iter` as in tfjs.
   * With `varList`, the weights are taken by position as tfjs does (the saving library's variable names are ignored;
   * each must still end in the slot its position means): `iter`, then every variable's first slot, and so on.
   * Bad input is refused with a ValueError naming the weight, the state unchanged.
   *
   * tfjs note: without `varList` the weights are matched by name (our state is kept by variable name); tfjs always
   * takes them by position and checks neither names nor shapes.
   *
   * ```js
   * await other.optimizer.setWeights(await model.optimizer.getWeights());
   * ```
   */
  setWeights(weights: NamedTensor[], varList?: Variable[]): Promise<void> {
    return import('./optimizer_weights').then((m) => m.setOptimizerWeights(this, weights, varList));
  }

  /**
   * The state arrays each variable gets, in tfjs's `getWeights` order and names, with the value a new one starts at
   * (Adam: `[['m', 0], ['v', 0]]`). None here (SGD keeps only `iter`).
   */
  slotLayout(): Array<[slotName: string, initial: number]> {
    return [];
  }

  /** The step scalars after `iterations` steps, as `setWeights` restores them (tfjs recomputes Adam's β powers from `iter`). */
  scalarsAt(_iterations: number): { [name: string]: number } {
    return {};
  }

  /** The scalars a subclass carries from step to step (beyond `iterations`), for `getState`. */
  protected stepScalars(): { [name: string]: number } {
    return {};
  }

  /** Restores `stepScalars()` values. */
  protected setStepScalars(_scalars: { [name: string]: number }): void {}

  /** Drops the optimizer state (tfjs frees its slot variables here). */
  dispose(): void {
    this.slots.clear();
    this.known.clear();
  }

  /** Called once per `applyGradients` before the per-variable updates (e.g. bias corrections). */
  protected beginStep(): void {}

  /** Called once per `applyGradients` after the per-variable updates (e.g. beta powers). */
  protected endStep(): void {}

  /**
   * The update kernel: reads the current `value` and the (clipped) `grad`, writes the new
   * value into `out` (all of the variable's size), updating this variable's slots in place.
   */
  protected abstract updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void;

  /** A state array of `size` for `variableName`, created filled with `init` on first use. */
  protected slot(variableName: string, slotName: string, size: number, init = 0): Float32Array {
    let m = this.slots.get(variableName);
    if (!m) this.slots.set(variableName, (m = new Map()));
    let s = m.get(slotName);
    if (!s || s.length !== size) {
      s = new Float32Array(size);
      if (init !== 0) s.fill(init);
      m.set(slotName, s);
    }
    return s;
  }

  private resolveVariable(name: string, owner: string): Variable {
    let v = this.known.get(name);
    if (!v || v.isDisposed) {
      v = findVariable(name);
      if (!v) {
        throw new ValueError(
          `${owner}: no variable named '${name}' is known; pass the variables to minimize(f, returnCost, varList) ` +
            `or create it with variable(..., name).`,
        );
      }
      this.known.set(name, v);
    }
    return v;
  }

  /**
   * Builds an optimizer of class `cls` from a config, as tfjs's `fromConfig(cls, config)`: the `configKeys` of the
   * class this is called on as positional arguments, then the clip options (the whole config when it has none).
   */
  static fromConfig(cls: any, config: OptimizerConfig): Optimizer {
    const keys = this.configKeys;
    return keys.length > 0 ? new cls(...keys.map((k) => config[k]), clipOptionsFrom(config)) : new cls(config);
  }
}

/** Splits a config into its clip options. */
export function clipOptionsFrom(config: OptimizerConfig): ClipOptions {
  const out: ClipOptions = {};
  for (const key of CLIP_KEYS) if (config[key] != null) out[key] = config[key] as number;
  return out;
}

/** Describes a received value for an error message without printing tensor contents (a shape, an array length). */
export function describeArg(value: unknown): string {
  if (value instanceof Tensor) return `a Tensor of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) {
    const tensors = value.length > 0 && value.every((v) => v instanceof Tensor);
    return `an array of ${value.length} ${tensors ? 'Tensors' : 'values'}`;
  }
  if (value !== null && typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return `the string '${value.slice(0, 40)}'`;
  return String(value);
}

/** Throws unless `value` is a finite number (`what` names the optimizer and argument). Never prints tensor values. */
export function checkNumber(what: string, value: unknown, allowZero = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    const params = Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Tensor);
    // A PyTorch habit: optimizer(model.parameters()). These optimizers take hyperparameters; nn.optim takes parameters.
    const hint = params
      ? ' (these tfjs-style optimizers take hyperparameters and update variables through minimize()/applyGradients(); for a PyTorch-style optimizer over parameters use new nn.optim.Adam(model.parameters(), {lr}))'
      : '';
    throw new ValueError(`${what} must be a ${allowZero ? 'non-negative' : 'positive'} number, received ${describeArg(value)}${hint}.`);
  }
  return value;
}
