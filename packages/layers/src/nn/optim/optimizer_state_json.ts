/**
 * Optimizer state dicts to a file and back: `optimizerStateToJSON` / `optimizerStateFromJSON` (plain JSON, tensors as
 * `{shape, data}` as `nn.stateDictToJSON` writes them) and `saveOptimizerSafetensors` / `loadOptimizerSafetensors`
 * (buffers as safetensors tensors named `state.<index>.<key>`, the groups and scalar state in the metadata).
 * `JSON.stringify(opt.stateDict())` gives no loadable file (it writes Tensor internals, or throws on a graph cycle), hence these.
 *
 * ```ts
 * fs.writeFileSync('opt.json', JSON.stringify(nn.optim.optimizerStateToJSON(opt.stateDict())));
 * // later, with an optimizer built over the same parameters:
 * opt.loadStateDict(nn.optim.optimizerStateFromJSON(fs.readFileSync('opt.json', 'utf8')));
 * ```
 */
import { Tensor, tensor, ValueError } from '@recurrent/core';
import { parseJSONText, tensorFromJSON } from '../state_dict_json';
import { readSafetensors, saveSafetensors } from '../safetensors';
import type { StateDict } from '../module';
import { describeValue } from './optimizer';
import type { OptimizerStateDict } from './optimizer';

/** An optimizer state dict with tensors as `{shape, data}`: JSON-serializable. */
export interface OptimizerStateJSON {
  state: { [index: string]: { [key: string]: number | { shape: number[]; data: number[] } } };
  paramGroups: ({ params: number[] } & { [option: string]: unknown })[];
}

function checkDict(who: string, dict: unknown): OptimizerStateDict {
  const d = dict as OptimizerStateDict;
  if (!d || typeof d !== 'object' || typeof d.state !== 'object' || d.state === null || !Array.isArray(d.paramGroups)) {
    throw new ValueError(
      `${who}: expected an optimizer state dict {state, paramGroups} (optimizer.stateDict()), received ${describeValue(dict)}.`,
    );
  }
  return d;
}

/** The state dict of `optimizer.stateDict()` with every Tensor replaced by `{shape, data}` (float32 values, exact). */
export function optimizerStateToJSON(dict: OptimizerStateDict): OptimizerStateJSON {
  const who = 'nn.optim.optimizerStateToJSON';
  const d = checkDict(who, dict);
  const state: OptimizerStateJSON['state'] = {};
  for (const [i, entry] of Object.entries(d.state)) {
    state[i] = {};
    for (const [k, v] of Object.entries(entry)) {
      if (typeof v === 'number') state[i][k] = v;
      else if (v instanceof Tensor) state[i][k] = { shape: v.shape.slice(), data: Array.from(v.values, Number) };
      else throw new ValueError(`${who}: state '${k}' of parameter ${i} must be a number or a Tensor, received ${describeValue(v)}.`);
    }
  }
  return { state, paramGroups: JSON.parse(JSON.stringify(d.paramGroups)) };
}

/** The inverse (a JSON string or the parsed object), ready for `optimizer.loadStateDict`. */
export function optimizerStateFromJSON(json: string | OptimizerStateJSON): OptimizerStateDict {
  const who = 'nn.optim.optimizerStateFromJSON';
  const d = checkDict(who, parseJSONText(who, json)) as unknown as OptimizerStateJSON;
  const state: OptimizerStateDict['state'] = {};
  for (const [i, entry] of Object.entries(d.state)) {
    if (!/^\d+$/.test(i)) throw new ValueError(`${who}: state key '${i}' must be a parameter index (an integer >= 0).`);
    if (!entry || typeof entry !== 'object')
      throw new ValueError(`${who}: state of parameter ${i} must be an object, received ${describeValue(entry)}.`);
    // Null prototype: a '__proto__' key is an own entry (loadStateDict names it), never the object's prototype.
    const out: { [key: string]: number | Tensor } = Object.create(null) as { [key: string]: number | Tensor };
    for (const [k, v] of Object.entries(entry)) out[k] = typeof v === 'number' ? v : tensorFromJSON(who, `state.${i}.${k}`, v);
    state[Number(i)] = out;
  }
  return { state, paramGroups: d.paramGroups };
}

/**
 * The state dict as safetensors bytes: each buffer a float32 tensor `state.<index>.<key>`, and the metadata
 * `paramGroups` and `scalars` (JSON strings: the groups, and the number state such as `step`).
 */
export function saveOptimizerSafetensors(dict: OptimizerStateDict): Uint8Array {
  const json = optimizerStateToJSON(dict);
  const tensors: StateDict = {};
  const scalars: { [index: string]: { [key: string]: number } } = {};
  for (const [i, entry] of Object.entries(json.state)) {
    scalars[i] = {};
    for (const [k, v] of Object.entries(entry)) {
      if (typeof v === 'number') scalars[i][k] = v;
      else tensors[`state.${i}.${k}`] = tensor(Float32Array.from(v.data), v.shape, 'float32');
    }
  }
  return saveSafetensors(tensors, {
    metadata: { format: 'recurrent-optimizer', paramGroups: JSON.stringify(json.paramGroups), scalars: JSON.stringify(scalars) },
  });
}

/** The inverse of `saveOptimizerSafetensors`, ready for `optimizer.loadStateDict`. */
export function loadOptimizerSafetensors(bytes: Uint8Array | ArrayBuffer): OptimizerStateDict {
  const who = 'nn.optim.loadOptimizerSafetensors';
  const { tensors, metadata } = readSafetensors(bytes);
  if (!metadata || typeof metadata.paramGroups !== 'string' || typeof metadata.scalars !== 'string')
    throw new ValueError(
      `${who}: the file has no optimizer metadata (paramGroups, scalars); it was not written by saveOptimizerSafetensors.`,
    );
  const scalars = parseJSONText(`${who}: metadata 'scalars'`, metadata.scalars) as { [index: string]: { [key: string]: number } };
  const state: OptimizerStateDict['state'] = {};
  if (scalars === null || typeof scalars !== 'object')
    throw new ValueError(`${who}: metadata 'scalars' must be a JSON object {index: {key: number}}, received ${describeValue(scalars)}.`);
  for (const [i, entry] of Object.entries(scalars)) {
    if (!/^\d+$/.test(i)) throw new ValueError(`${who}: metadata 'scalars' key '${i}' must be a parameter index (an integer >= 0).`);
    state[Number(i)] = { ...entry };
  }
  for (const [name, t] of Object.entries(tensors)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(name);
    if (!m) throw new ValueError(`${who}: unexpected tensor '${name}' (expected state.<index>.<key>).`);
    (state[Number(m[1])] ??= {})[m[2]] = t;
  }
  return checkDict(who, { state, paramGroups: parseJSONText(`${who}: metadata 'paramGroups'`, metadata.paramGroups) });
}
