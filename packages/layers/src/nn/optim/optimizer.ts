/**
 * `nn.optim.Optimizer`: the base of the PyTorch-style optimizers. They update the parameters they are given from the
 * `.grad` filled by `loss.backward()`, with PyTorch's exact update formulas (computed per element in float64 from
 * float32 state, rounded to float32 when stored).
 *
 * ```ts
 * const opt = new nn.optim.Adam(model.parameters(), { lr: 1e-3 });
 * for (const [x, y] of batches) {
 *   opt.zeroGrad();
 *   const loss = lossFn.forward(model.forward(x), y);
 *   loss.backward();
 *   opt.step();
 * }
 * ```
 */
import { formatShape, Tensor, tensor, Variable, ValueError } from '@recurrent/core';
import { suggestName } from '../../engine/args';
import { isModuleParameter } from '../module';

/** A float32 tensor owning `values` with `shape`. */
function makeTensorFrom(values: Float32Array, shape: number[]): Tensor {
  return tensor(values, shape.slice(), 'float32');
}

/** A parameter group as given to a constructor: its parameters and options overriding the defaults. */
export interface ParamGroupSpec {
  params: Variable[];
  [option: string]: unknown;
}

/** A parameter group as held by the optimizer: the parameters and every option (defaults filled in). */
export interface ParamGroup {
  params: Variable[];
  lr: number;
  [option: string]: any;
}

/** One parameter's optimizer state: numbers (`step`) and float32 buffers (`expAvg`, `momentumBuffer`, ...). */
export type ParamState = { [key: string]: number | Float32Array };

/** What `stateDict()` returns (PyTorch's layout, camelCase): per-parameter state by index, and the groups. */
export interface OptimizerStateDict {
  state: { [index: number]: { [key: string]: number | Tensor } };
  paramGroups: ({ params: number[] } & { [option: string]: unknown })[];
}

/** Describes a value for an error message without printing tensor contents. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Tensor) return `a Tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`;
  if (typeof v === 'string') return `the string '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  return String(v);
}

/** A label for a parameter in messages: its Variable name and shape. */
export function paramLabel(p: Variable): string {
  return `'${p.name}' (shape ${formatShape(p.shape)})`;
}

/** Base class: param groups, zeroGrad, step over params with a grad, stateDict / loadStateDict. */
export abstract class Optimizer {
  /** The parameter groups; change `group.lr` (schedulers do) or other options between steps. */
  readonly paramGroups: ParamGroup[] = [];
  /** The defaults of options not given in a group. */
  readonly defaults: { [option: string]: unknown };
  /** Per-parameter state, created on the first step. */
  protected state = new Map<Variable, ParamState>();
  /** The options with a number default (checked as numbers >= 0) and those with a boolean default, in the defaults' order. */
  private readonly optionTypes: [string, string][];

  protected constructor(params: Variable[] | ParamGroupSpec[], defaults: { [option: string]: unknown }, options: object | undefined) {
    const who = this.who('constructor');
    const opts = options ?? {};
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
      throw new ValueError(
        `${who}: options must be an object such as {lr: 0.01}, received ${typeof opts === 'number' ? `the number ${opts} (write {lr: ${opts}})` : describeValue(opts)}.`,
      );
    }
    this.checkKeys(opts, Object.keys(defaults));
    this.optionTypes = Object.entries(defaults).map(([key, value]) => [key, typeof value]);
    this.defaults = { ...defaults, ...opts };
    if (!Array.isArray(params)) {
      const hint =
        params && typeof (params as { parameters?: unknown }).parameters === 'function' ? ' (pass model.parameters(), not the model)' : '';
      throw new ValueError(
        `${who}: params must be an array of parameters (model.parameters()) or of parameter groups {params, ...options}, received ${describeValue(params)}${hint}.`,
      );
    }
    if (params.length === 0) throw new ValueError(`${who}: got an empty parameter list.`);
    const groups: ParamGroupSpec[] = params.every((p) => p instanceof Tensor)
      ? [{ params: params as Variable[] }]
      : (params as ParamGroupSpec[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** The class name as shown in messages (`nn.optim.Adam`). */
  protected abstract get name(): string;

  protected who(method: string): string {
    return `nn.optim.${this.name}${method === 'constructor' ? '' : `.${method}`}`;
  }

  private checkKeys(obj: object, known: string[]): void {
    for (const k of Object.keys(obj)) {
      if (!known.includes(k)) {
        const s = suggestName(k, known);
        throw new ValueError(
          `${this.who('constructor')}: unknown option '${k}'${s ? `; did you mean '${s}'?` : ''} Known options: ${known.filter((x) => x !== 'params').join(', ')}.`,
        );
      }
    }
  }

  /**
   * Checks the options of one group (throws naming the option): each option whose default is a number must be a
   * finite number >= 0, each whose default is a boolean a boolean; then the subclass's `checkGroup`.
   */
  private checkOptions(group: ParamGroup, where: string): void {
    for (const [key, type] of this.optionTypes) {
      if (type === 'number') checkGroupNumber(where, group, key);
      else if (type === 'boolean') checkGroupBool(where, group, key);
    }
    this.checkGroup(group, where);
  }

  /** The checks of a group's options beyond their types (e.g. SGD's nesterov needs momentum); none by default. */
  protected checkGroup(_group: ParamGroup, _where: string): void {
    // Nothing beyond the type checks of checkOptions.
  }

  /**
   * Adds a group of parameters with its own options (e.g. a smaller `lr` for an embedding), as PyTorch's
   * `add_param_group`. Variables other than nn parameters are made to require grad; an nn parameter frozen with
   * `requiresGrad_(false)` stays frozen (no gradient, skipped by `step()`), as in PyTorch.
   */
  addParamGroup(spec: ParamGroupSpec): void {
    const who = this.who('addParamGroup');
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || !Array.isArray(spec.params)) {
      throw new ValueError(
        `${who}: a parameter group must be an object {params: Variable[], ...options}, received ${describeValue(spec)}.`,
      );
    }
    this.checkKeys(spec, ['params', ...Object.keys(this.defaults)]);
    const seen = new Set<Variable>(this.paramGroups.flatMap((g) => g.params));
    spec.params.forEach((p, i) => {
      if (!(p instanceof Variable)) {
        throw new ValueError(
          `${who}: params[${i}] must be a Variable (an nn parameter, a layer weight or variable(...)), received ${describeValue(p)}; plain tensors cannot be updated in place.`,
        );
      }
      if (p.dtype !== 'float32') throw new ValueError(`${who}: parameter ${paramLabel(p)} must be float32, received ${p.dtype}.`);
      if (seen.has(p)) throw new ValueError(`${who}: parameter ${paramLabel(p)} appears more than once (in this group or another one).`);
      seen.add(p);
    });
    const group = { ...this.defaults, ...spec, params: spec.params.slice() } as ParamGroup;
    this.checkOptions(group, this.who('constructor'));
    // Other Variables (Keras-layer weights, variable(...)) are made to require grad, so that loss.backward() reaches
    // them; nn parameters already do unless the user froze them with requiresGrad_(false), which must hold (PyTorch).
    for (const p of group.params) if (!isModuleParameter(p)) p.requiresGrad = true;
    this.paramGroups.push(group);
  }

  /** Resets the gradients of all parameters: to null (default, as PyTorch 2's `set_to_none`) or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) p.grad = setToNone || !p.grad ? null : makeTensorFrom(new Float32Array(p.size), p.shape);
    }
  }

  /**
   * Updates every parameter that has a gradient (parameters without one are skipped, as PyTorch does); throws when
   * no parameter has one (naming them: call `loss.backward()` first). `closure`, if given, re-evaluates the loss
   * (run before the update) and its value is returned.
   */
  step(closure?: () => Tensor): Tensor | undefined {
    const loss = closure ? closure() : undefined;
    const all = this.paramGroups.flatMap((g) => g.params);
    if (!all.some((p) => p.grad)) {
      const names = all.slice(0, 4).map(paramLabel).join(', ');
      const hint = all.every((p) => !p.requiresGrad)
        ? 'every parameter is frozen (requiresGrad false), so backward() gives them none'
        : 'call loss.backward() before step()';
      throw new ValueError(
        `${this.who('step')}: no parameter has a gradient (${names}${all.length > 4 ? `, and ${all.length - 4} more` : ''} have grad null); ${hint}.`,
      );
    }
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (!g) continue;
        if (g.size !== p.size) {
          throw new ValueError(
            `${this.who('step')}: the gradient of ${paramLabel(p)} has shape ${formatShape(g.shape)}, expected the parameter's shape.`,
          );
        }
        let st = this.state.get(p);
        if (!st) {
          st = {};
          this.state.set(p, st);
        }
        const value = p.values as Float32Array;
        const out = new Float32Array(value.length);
        this.update(group, st, value, g.values as Float32Array, out);
        p.assign(makeTensorFrom(out, p.shape));
      }
    }
    return loss;
  }

  /** The update of one parameter: read `value` and `grad`, update `state`, write the new value into `out`. */
  protected abstract update(group: ParamGroup, state: ParamState, value: Float32Array, grad: Float32Array, out: Float32Array): void;

  /** A float32 state buffer of `n` elements (created with `init` on first use). */
  protected buffer(state: ParamState, key: string, n: number, init = 0): Float32Array {
    return stateBuffer(state, key, n, init);
  }

  /** The optimizer state as PyTorch's `state_dict()`: parameters are referred to by their index over all groups. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Variable, number>();
    let i = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...opts } = g;
      return { ...opts, params: params.map((p) => (index.set(p, i), i++)) };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, st] of this.state) {
      const k = index.get(p);
      if (k === undefined) continue;
      const entry: { [key: string]: number | Tensor } = {};
      for (const [name, v] of Object.entries(st)) entry[name] = typeof v === 'number' ? v : makeTensorFrom(Float32Array.from(v), p.shape);
      state[k] = entry;
    }
    return { state, paramGroups };
  }

  /** Restores `stateDict()` output: the groups must have the same sizes; options and per-parameter state are copied. */
  loadStateDict(dict: OptimizerStateDict): void {
    const who = this.who('loadStateDict');
    if (!dict || typeof dict !== 'object' || !Array.isArray(dict.paramGroups) || typeof dict.state !== 'object' || dict.state === null) {
      throw new ValueError(`${who}: expected {state, paramGroups} as returned by stateDict(), received ${describeValue(dict)}.`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new ValueError(
        `${who}: the state dict has ${dict.paramGroups.length} parameter group(s), this optimizer has ${this.paramGroups.length}.`,
      );
    }
    const byIndex = new Map<number, Variable>();
    dict.paramGroups.forEach((g, gi) => {
      const mine = this.paramGroups[gi];
      if (!Array.isArray(g.params) || g.params.length !== mine.params.length) {
        throw new ValueError(
          `${who}: parameter group ${gi} has ${Array.isArray(g.params) ? g.params.length : 'no'} parameters in the state dict, ${mine.params.length} here.`,
        );
      }
      // A state dict of another optimizer lacks this one's options (PyTorch fails at its next step()).
      for (const option of Object.keys(this.defaults)) {
        if (option !== 'params' && !(option in g)) {
          throw new ValueError(
            `${who}: parameter group ${gi} of the state dict has no option '${option}', which ${this.who('constructor')} takes; ` +
              `is it the state of another optimizer? It has ${Object.keys(g).join(', ')}.`,
          );
        }
      }
      g.params.forEach((idx, k) => {
        if (!Number.isInteger(idx) || idx < 0) {
          throw new ValueError(
            `${who}: parameter group ${gi}: params[${k}] must be a parameter index (an integer >= 0), received ${describeValue(idx)}.`,
          );
        }
        if (byIndex.has(idx)) throw new ValueError(`${who}: parameter group ${gi} lists parameter index ${idx} twice.`);
        byIndex.set(idx, mine.params[k]);
      });
    });
    const newState = new Map<Variable, ParamState>();
    for (const [k, entry] of Object.entries(dict.state)) {
      const p = byIndex.get(Number(k));
      if (!p) throw new ValueError(`${who}: state for parameter index ${k}, which no group lists.`);
      const st: ParamState = {};
      for (const [name, v] of Object.entries(entry)) {
        // Our optimizers keep one number per parameter, the step count; every other entry is a buffer.
        if (name === 'step') {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
            throw new ValueError(`${who}: state 'step' of ${paramLabel(p)} must be an integer >= 0, received ${describeValue(v)}.`);
          st.step = v;
        } else if (v instanceof Tensor && v.size === p.size && name !== '__proto__') st[name] = Float32Array.from(v.values);
        else
          throw new ValueError(
            `${who}: state '${name}' of ${paramLabel(p)} must be a Tensor of ${p.size} elements (only 'step' is a number), received ${describeValue(v)}.`,
          );
      }
      newState.set(p, st);
    }
    dict.paramGroups.forEach((g, gi) => {
      const { params: _ignored, ...opts } = g;
      const merged = { ...this.paramGroups[gi], ...opts, params: this.paramGroups[gi].params } as ParamGroup;
      this.checkOptions(merged, who);
      this.paramGroups[gi] = merged;
    });
    this.state = newState;
  }
}

/** Throws unless `group[key]` is a finite number >= min (and < max when given). */
export function checkGroupNumber(where: string, group: ParamGroup, key: string, min = 0, max = Infinity, maxInclusive = false): number {
  const v = group[key];
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && (maxInclusive ? v <= max : v < max);
  if (!ok) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}${maxInclusive ? ']' : ')'}`;
    throw new ValueError(`${where}: ${key} must be a number ${range}, received ${describeValue(v)}.`);
  }
  return v;
}

/** Throws unless `group[key]` is a boolean. */
export function checkGroupBool(where: string, group: ParamGroup, key: string): boolean {
  const v = group[key];
  if (typeof v !== 'boolean') throw new ValueError(`${where}: ${key} must be true or false, received ${describeValue(v)}.`);
  return v;
}

/** The float32 buffer `state[key]` of `n` elements, created (filled with `init`) on first use. */
export function stateBuffer(state: ParamState, key: string, n: number, init = 0): Float32Array {
  let b = state[key] as Float32Array | undefined;
  if (!b) {
    b = new Float32Array(n);
    if (init) b.fill(init);
    state[key] = b;
  }
  return b;
}
