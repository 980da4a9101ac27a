/**
 * `nn.Module`: the PyTorch-style base class. A module owns named parameters (core `Variable`s) and named
 * submodules; `namedParameters()` / `stateDict()` walk them with PyTorch's dotted names, and training goes
 * through core autograd:
 *
 * ```ts
 * // PyTorch style: parameters require grad, so the forward pass records the graph loss.backward() walks.
 * const opt = new nn.optim.Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad();
 * const loss = new nn.CrossEntropyLoss().forward(model.forward(x), y);
 * loss.backward();      // fills p.grad of every parameter
 * opt.step();
 * // Keras style, on the same autograd: gradients as values, keyed by Variable name.
 * const { value, grads } = variableGrads(() => loss(model.forward(x), y), model.parameters());
 * ```
 * Inference: wrap it in `noGrad(() => model.forward(x))` so that no graph is kept.
 */
import { formatShape, shapesEqual, Tensor, tensor, variable, Variable, ValueError } from '@recurrent/core';
import { checkOptionKeys } from './init';

/** A state dict: parameter name (dotted, as PyTorch's `state_dict()`) → tensor. */
export type StateDict = { [name: string]: Tensor };

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true, as PyTorch). Shape mismatches always throw. */
  strict?: boolean;
}

/** What {@link Module.loadStateDict} did not match (both empty under `strict`). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const counters = new Map<string, number>();

/** A unique prefix for the Variables of one module instance (`nn.LSTM_3`). */
function uniqueModuleId(kind: string): string {
  const n = (counters.get(kind) ?? 0) + 1;
  counters.set(kind, n);
  return `nn.${kind}_${n}`;
}

const NAME_RE = /^[^.\s]+$/;

/** Every Variable registered as a module parameter (they are made to require grad once, at registration). */
const moduleParameters = new WeakSet<Variable>();

/**
 * Whether `v` is an nn module parameter. Optimizers leave these as they are, so that a parameter frozen with
 * `requiresGrad_(false)` stays frozen (PyTorch: it gets no `.grad`, and `step()` skips it).
 */
export function isModuleParameter(v: Variable): boolean {
  return moduleParameters.has(v);
}

/**
 * Base class of all `nn` modules. Subclasses register their parameters and submodules in the constructor
 * (or as field initializers) and implement `forward`:
 *
 * ```ts
 * class Tagger extends nn.Module {
 *   lstm = this.registerModule('lstm', new nn.LSTM(16, 32));
 *   head = this.registerModule('head', new nn.Linear(32, 5));
 *   forward(x: Tensor): Tensor { return this.head.forward(this.lstm.forward(x)); }
 * }
 * ```
 *
 * PyTorch note: modules are not callable and attributes are not registered on assignment; call
 * `forward` and use `registerModule` / `registerParameter` explicitly.
 */
export abstract class Module {
  /** Whether the module is in training mode (dropout active); set by `train()` / `eval()`, recursively. */
  training = true;
  /** Unique id used as the prefix of this module's Variable names (the keys of `variableGrads`'s map). */
  readonly moduleId: string;
  private readonly params = new Map<string, Variable | null>();
  private readonly children_ = new Map<string, Module>();

  constructor() {
    this.moduleId = uniqueModuleId(this.kind());
  }

  /** The class name used in messages (`LSTM`, `Linear`, ...). */
  kind(): string {
    return this.constructor.name || 'Module';
  }

  /** Runs the module. */
  abstract forward(...args: unknown[]): unknown;

  /**
   * Registers a trainable parameter under `name` and returns its Variable. A Tensor is copied into a new
   * Variable named `<moduleId>/<name>`; a Variable is used as is (shared). `null` registers an absent
   * parameter (listed nowhere), as PyTorch's `register_parameter(name, None)`.
   */
  registerParameter(name: string, value: Tensor): Variable;
  registerParameter(name: string, value: Tensor | null): Variable | null;
  registerParameter(name: string, value: Tensor | null): Variable | null {
    this.checkName('registerParameter', name);
    if (this.children_.has(name)) throw new ValueError(`nn.${this.kind()}.registerParameter: '${name}' is already a submodule.`);
    if (value !== null && !(value instanceof Tensor)) {
      throw new ValueError(`nn.${this.kind()}.registerParameter: '${name}' must be a Tensor or null, received ${typeof value}.`);
    }
    let v: Variable | null = null;
    if (value instanceof Variable) v = value;
    else if (value)
      v = variable(
        value.dtype === 'float32' ? value : tensor(Float32Array.from(value.values), value.shape.slice(), 'float32'),
        true,
        `${this.moduleId}/${name}`,
      );
    // Parameters require grad (PyTorch's nn.Parameter): ops on them build the graph `loss.backward()` walks.
    if (v) {
      v.requiresGrad = true;
      moduleParameters.add(v);
    }
    this.params.set(name, v);
    return v;
  }

  /**
   * The setter of a parameter attribute (`linear.weight = embedding.weight`, PyTorch's weight tying): a Variable is
   * shared, a Tensor copied into a new parameter; the shape must be `shape` (the module's computation expects it).
   */
  protected setParameterAttribute(name: string, value: Tensor, shape: number[]): void {
    if (!(value instanceof Tensor) || !shapesEqual(value.shape, shape)) {
      throw new ValueError(
        `nn.${this.kind()}: ${name} must be a Tensor (a Variable to share it) of shape ${formatShape(shape)}, received ${
          value instanceof Tensor ? `shape ${formatShape(value.shape)}` : value === null ? 'null' : typeof value
        }.`,
      );
    }
    this.registerParameter(name, value);
  }

  /** Registers a submodule under `name` (its parameters appear as `name.<param>`); returns it. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.checkName('registerModule', name);
    if (!(module instanceof Module))
      throw new ValueError(`nn.${this.kind()}.registerModule: '${name}' must be an nn.Module, received ${typeof module}.`);
    if (this.params.has(name)) throw new ValueError(`nn.${this.kind()}.registerModule: '${name}' is already a parameter.`);
    this.children_.set(name, module);
    return module;
  }

  private checkName(method: string, name: string): void {
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      throw new ValueError(
        `nn.${this.kind()}.${method}: name must be a non-empty string without '.' or spaces, received '${String(name)}'.`,
      );
    }
  }

  /** This module's own parameter `name` (not a submodule's); throws naming the available ones. */
  getParameter(name: string): Variable {
    const v = this.params.get(name);
    if (!v) {
      throw new ValueError(
        `nn.${this.kind()}: no parameter '${name}'; it has ${
          [...this.params.keys()]
            .filter((k) => this.params.get(k))
            .map((k) => `'${k}'`)
            .join(', ') || 'none'
        }.`,
      );
    }
    return v;
  }

  /** The submodule registered as `name` (dotted paths reach nested ones). */
  getSubmodule(name: string): Module {
    let m: Module = this;
    for (const part of name.split('.')) {
      const c = m.children_.get(part);
      if (!c) throw new ValueError(`nn.${m.kind()}: no submodule '${part}' (looking up '${name}').`);
      m = c;
    }
    return m;
  }

  /** Direct submodules with their names. */
  namedChildren(): [string, Module][] {
    return [...this.children_.entries()];
  }

  /** Direct submodules. */
  children(): Module[] {
    return [...this.children_.values()];
  }

  /** This module and all submodules with dotted names ('' for this one), depth first. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [n, c] of this.children_) out.push(...c.namedModules(prefix ? `${prefix}.${n}` : n));
    return out;
  }

  /** Parameters with PyTorch's dotted names (`0.weight_ih_l0`, `lstm.bias_hh_l1_reverse`), in registration order. */
  namedParameters(prefix = '', recurse = true): [string, Variable][] {
    const out: [string, Variable][] = [];
    const seen = new Set<Variable>();
    const walk = (m: Module, p: string) => {
      for (const [n, v] of m.params) {
        if (v && !seen.has(v)) {
          seen.add(v);
          out.push([p ? `${p}.${n}` : n, v]);
        }
      }
      if (recurse) for (const [n, c] of m.children_) walk(c, p ? `${p}.${n}` : n);
    };
    walk(this, prefix);
    return out;
  }

  /** All parameters (for `variableGrads(f, module.parameters())` and optimizers). */
  parameters(recurse = true): Variable[] {
    return this.namedParameters('', recurse).map(([, v]) => v);
  }

  /** Parameter name → a snapshot Tensor of its current value (as PyTorch's `state_dict()`). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, v] of this.allParameterEntries()) out[name] = tensor(Float32Array.from(v.values), v.shape.slice(), 'float32');
    return out;
  }

  /** Every (name, Variable, owner) entry, shared parameters listed under each name (as state_dict). */
  private allParameterEntries(): [string, Variable, Module][] {
    const out: [string, Variable, Module][] = [];
    for (const [p, m] of this.namedModules()) {
      for (const [n, v] of m.params) if (v) out.push([p ? `${p}.${n}` : n, v, m]);
    }
    return out;
  }

  /**
   * Copies the values of `dict` into the parameters. Throws, before changing anything, when a tensor's shape
   * differs from its parameter's (naming the module, the key and both shapes) or, under `strict` (default),
   * when keys are missing or unexpected (listing them). Returns the unmatched keys.
   */
  loadStateDict(dict: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const who = `nn.${this.kind()}.loadStateDict`;
    checkOptionKeys(who, options, ['strict']);
    const strict = options?.strict ?? true;
    if (dict === null || typeof dict !== 'object')
      throw new ValueError(`${who}: the state dict must be an object of name → Tensor, received ${dict === null ? 'null' : typeof dict}.`);
    const entries = this.allParameterEntries();
    const known = new Set(entries.map(([n]) => n));
    const missingKeys = entries.map(([n]) => n).filter((n) => !Object.prototype.hasOwnProperty.call(dict, n));
    const unexpectedKeys = Object.keys(dict).filter((k) => !known.has(k));
    const errors: string[] = [];
    const updates: [Variable, Tensor][] = [];
    for (const [name, v, owner] of entries) {
      if (!Object.prototype.hasOwnProperty.call(dict, name)) continue;
      const t = dict[name];
      const ownerLabel = `nn.${owner.kind()}${owner === this ? '' : ` (submodule '${name.slice(0, name.lastIndexOf('.'))}')`}`;
      if (!(t instanceof Tensor)) {
        errors.push(
          `'${name}' of ${ownerLabel} must be a Tensor of shape ${formatShape(v.shape)}, received ${t === null ? 'null' : typeof t}`,
        );
        continue;
      }
      if (!shapesEqual(t.shape, v.shape)) {
        errors.push(
          `size mismatch for '${name}' of ${ownerLabel}: the state dict has shape ${formatShape(t.shape)}, the parameter has shape ${formatShape(v.shape)}`,
        );
        continue;
      }
      updates.push([v, t.dtype === 'float32' ? t : tensor(Float32Array.from(t.values), t.shape.slice(), 'float32')]);
    }
    if (strict) {
      if (missingKeys.length) errors.push(`missing key(s): ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length) errors.push(`unexpected key(s): ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
    }
    if (errors.length) throw new ValueError(`${who}: error(s) loading the state dict:\n  ${errors.join('\n  ')}`);
    for (const [v, t] of updates) v.assign(tensor(Float32Array.from(t.values), t.shape.slice(), 'float32'));
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Calls `fn` on every submodule (recursively, children first) and then on this module, as PyTorch's `apply`;
   * returns this. The usual use is custom initialization:
   *
   * ```ts
   * model.apply((m) => { if (m instanceof nn.Linear) nn.init.xavierUniform_(m.weight); });
   * ```
   */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function')
      throw new ValueError(`nn.${this.kind()}.apply: fn must be a function of a module, received ${typeof fn}.`);
    for (const c of this.children_.values()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Resets `.grad` of every parameter (to null, or to zeros with `setToNone` false), as PyTorch's `zero_grad()`. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) p.grad = setToNone || !p.grad ? null : tensor(new Float32Array(p.size), p.shape.slice(), 'float32');
  }

  /**
   * Sets `requiresGrad` on every parameter of this module and its submodules, as PyTorch's `requires_grad_()`:
   * `false` freezes them (`backward()` leaves their `.grad` null and optimizers skip them); returns this.
   *
   * ```ts
   * model.encoder.requiresGrad_(false);   // fine-tune only the rest
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== 'boolean')
      throw new ValueError(`nn.${this.kind()}.requiresGrad_: requiresGrad must be true or false, received ${typeof requiresGrad}.`);
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Sets training mode on this module and all submodules; returns this. */
  train(mode = true): this {
    this.training = !!mode;
    for (const c of this.children_.values()) c.train(mode);
    return this;
  }

  /** Evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((s, v) => s + v.size, 0);
  }

  /** Short description, e.g. `LSTM(4, 8, numLayers=2)`. */
  extraRepr(): string {
    return '';
  }

  /** A PyTorch-like multi-line description of the module tree. */
  toString(): string {
    const kids = [...this.children_.entries()];
    const head = `${this.kind()}(${this.extraRepr()}`;
    if (!kids.length) return `${head})`;
    const body = kids.map(([n, c]) => `  (${n}): ${c.toString().split('\n').join('\n  ')}`).join('\n');
    return `${head}\n${body}\n)`;
  }
}
