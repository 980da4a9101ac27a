/**
 * An optimizer's state as tfjs's optimizer weights (`Optimizer.getWeights` / `setWeights`, the group 'optimizer' of a
 * model file saved with `includeOptimizer`): `iter` (int32 scalar, the step count), then each kind of state (the
 * optimizer's `slotLayout()`, e.g. Adam's `m`, `v`) for every variable, named `<variable>/<slot>`. Built on
 * `getState` / `setState`, which keep the state by variable name; tfjs keeps it by position, so with a `varList` the
 * weights are laid out and read by position as tfjs does.
 */
import { findVariable, formatShape, shapesEqual, Tensor, ValueError, Variable } from '@recurrent/core';
import { describeArg } from './optimizer';
import type { NamedTensor, Optimizer, OptimizerState } from './optimizer';

/** `optimizer.getWeights(varList)`, synchronously (what `model.save` writes with `includeOptimizer`). */
export function optimizerWeights(optimizer: Optimizer, varList?: Variable[]): NamedTensor[] {
  const state = optimizer.getState();
  const out: NamedTensor[] = [{ name: 'iter', tensor: new Tensor(Int32Array.of(state.iterations), [], 'int32') }];
  const targets = varList ?? Object.keys(state.slots).map((name) => findVariable(name));
  // Before any step there is no state (tfjs writes iter alone); after steps every variable's state is written, its
  // initial value where this optimizer has none yet (e.g. one that trained another model), so the file is complete.
  if (state.iterations === 0 && !targets.some((v) => v != null && state.slots[v.name] != null)) return out;
  const owner = `${optimizer.getClassName()}.getWeights`;
  for (const [slotName, initial] of optimizer.slotLayout()) {
    for (const v of targets) {
      if (v == null) throw new ValueError(`${owner}: a variable with optimizer state no longer exists.`);
      const values = state.slots[v.name]?.[slotName];
      if (values != null && values.length !== v.size) {
        throw new ValueError(
          `${owner}: the state '${slotName}' of '${v.name}' has ${values.length} values but the variable has shape ${formatShape(v.shape)}.`,
        );
      }
      const tensor = new Tensor(values ? Float32Array.from(values) : new Float32Array(v.size).fill(initial), v.shape.slice(), 'float32');
      out.push({ name: `${v.name}/${slotName}`, tensor });
    }
  }
  return out;
}

/** `optimizer.setWeights(weights, varList)`, synchronously (what `loadLayersModel` restores a file's optimizer weights with). */
export function setOptimizerWeights(optimizer: Optimizer, weights: NamedTensor[], varList?: Variable[]): void {
  const owner = `${optimizer.getClassName()}.setWeights`;
  const layout = optimizer.slotLayout().map(([slotName]) => slotName);
  const expected = `'iter' then '<variable>/<slot>' for the slots ${layout.length > 0 ? layout.join(', ') : '(none: only iter)'}`;
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new ValueError(
      `${owner}: expected an array of {name, tensor} (${expected}) as getWeights() returns, received ${describeArg(weights)}.`,
    );
  }
  weights.forEach((w, i) => {
    if (w == null || typeof w.name !== 'string' || !(w.tensor instanceof Tensor)) {
      const received = w == null || typeof w.name !== 'string' ? describeArg(w) : `'${w.name}' with tensor ${describeArg(w.tensor)}`;
      throw new ValueError(`${owner}: weight ${i} must be {name: string, tensor: Tensor}, received ${received}.`);
    }
  });
  const [first, ...rest] = weights;
  const iterations = first.tensor.size === 1 ? first.tensor.values[0] : NaN;
  if (first.name !== 'iter' || !Number.isSafeInteger(iterations) || iterations < 0) {
    throw new ValueError(
      `${owner}: the first weight must be 'iter', a scalar non-negative integer (the step count), received '${first.name}' ` +
        `of shape ${formatShape(first.tensor.shape)}${first.tensor.size === 1 ? ` holding ${iterations}` : ''}.`,
    );
  }
  const variables = new Map<string, Variable>();
  let named = rest;
  if (varList != null) {
    const k = varList.length;
    const count = layout.length * k;
    if (rest.length === 0 && count > 0 && iterations > 0) {
      // tfjs restores the step count alone; the optimizer would go on with fresh state but a late step's scalars.
      throw new ValueError(
        `${owner}: the step count is ${iterations} but there are no state weights: expected ${layout.join(', ')} for each of the ` +
          `${k} trainable weights after 'iter' (a truncated file?).`,
      );
    }
    if (rest.length > 0 && rest.length !== count) {
      const at = Math.min(rest.length, count);
      const which =
        rest.length < count
          ? `'${varList[at % k]?.name}/${layout[Math.floor(at / k)]}' (the state '${layout[Math.floor(at / k)]}' of variable ${at % k}) and after it are missing`
          : `'${rest[at].name}' and after it are extra`;
      throw new ValueError(
        `${owner}: expected 'iter' and ${layout.length} × ${k} state weights (${layout.join(', ') || 'none'} for each of ${k} variables), received ${rest.length} after 'iter': ${which}.`,
      );
    }
    named = rest.map((w, p) => {
      const slotName = layout[Math.floor(p / k)];
      const v = varList[p % k];
      if (!(v instanceof Variable)) throw new ValueError(`${owner}: varList[${p % k}] is not a Variable.`);
      if (!w.name.endsWith(`/${slotName}`)) {
        throw new ValueError(
          `${owner}: weight ${p + 1} '${w.name}' should be the state '${slotName}' of variable ${p % k} ('${v.name}') in tfjs's order (${expected}, each for every variable).`,
        );
      }
      variables.set(v.name, v);
      return { name: `${v.name}/${slotName}`, tensor: w.tensor };
    });
  }
  const slots: OptimizerState['slots'] = {};
  for (const { name, tensor } of named) {
    const cut = name.lastIndexOf('/');
    const variableName = name.slice(0, cut);
    const slotName = name.slice(cut + 1);
    if (cut <= 0 || !layout.includes(slotName)) throw new ValueError(`${owner}: unknown weight '${name}'; expected ${expected}.`);
    const v = variables.get(variableName) ?? findVariable(variableName);
    if (v == null || v.isDisposed)
      throw new ValueError(`${owner}: weight '${name}' is the state of '${variableName}', but no variable has that name.`);
    if (!shapesEqual(tensor.shape, v.shape)) {
      throw new ValueError(
        `${owner}: weight '${name}' has shape ${formatShape(tensor.shape)} but variable '${variableName}' has shape ${formatShape(v.shape)}.`,
      );
    }
    const values = Array.from(tensor.values as ArrayLike<number>);
    if (!values.every(Number.isFinite))
      throw new ValueError(`${owner}: weight '${name}' holds a value that is not a finite number (NaN or ±Infinity).`);
    const own = (slots[variableName] ??= {});
    if (own[slotName] != null) throw new ValueError(`${owner}: weight '${name}' is given twice.`);
    own[slotName] = values;
  }
  for (const variableName of Object.keys(slots)) {
    const missing = layout.filter((s) => slots[variableName][s] == null);
    if (missing.length > 0)
      throw new ValueError(`${owner}: weight '${variableName}/${missing[0]}' is missing (each variable needs ${layout.join(', ')}).`);
  }
  optimizer.setState({ iterations, slots, scalars: optimizer.scalarsAt(iterations) });
}
