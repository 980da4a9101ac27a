/**
 * State dicts as JSON `{name: {shape: number[], data: number[]}}` — the format written by
 * examples/pytorch_export/export_state_dict.py from a PyTorch `state_dict()`.
 */
import { formatShape, Tensor, tensor, ValueError } from '@recurrent/core';
import type { StateDict } from './module';

/** One entry of a JSON state dict. */
export interface JSONTensor {
  shape: number[];
  /** Row-major values (flat; nested arrays are flattened). */
  data: number[] | unknown[];
}

/** Nested `data` deeper than this is refused (a tensor has a handful of dimensions; a hostile file could overflow the stack). */
const MAX_DATA_DEPTH = 64;

function flatten(x: unknown, out: number[], who: string, key: string, depth = 0): void {
  if (Array.isArray(x)) {
    if (depth >= MAX_DATA_DEPTH) throw new ValueError(`${who}: '${key}'.data nests arrays deeper than ${MAX_DATA_DEPTH} levels.`);
    for (const e of x) flatten(e, out, who, key, depth + 1);
  } else if (typeof x === 'number' || typeof x === 'boolean') out.push(Number(x));
  else throw new ValueError(`${who}: '${key}'.data must hold numbers, found ${x === null ? 'null' : typeof x}.`);
}

/** `json` parsed when it is a string (a ValueError naming `who` when it is not valid JSON), else as given. */
export function parseJSONText(who: string, json: unknown): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new ValueError(`${who}: invalid JSON: ${(e as Error).message}`);
  }
}

/** The float32 Tensor of one `{shape, data}` entry named `key` (checked: integer shape, as many values as it needs). */
export function tensorFromJSON(who: string, key: string, entry: unknown): Tensor {
  const e = entry as JSONTensor;
  if (e === null || typeof e !== 'object' || !Array.isArray(e.shape) || !Array.isArray(e.data)) {
    throw new ValueError(`${who}: '${key}' must be {shape: number[], data: number[]}, received ${JSON.stringify(entry)?.slice(0, 80)}.`);
  }
  if (!e.shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new ValueError(`${who}: '${key}'.shape must hold integers >= 0, received ${JSON.stringify(e.shape)}.`);
  const values: number[] = [];
  flatten(e.data, values, who, key);
  const size = e.shape.reduce((a, d) => a * d, 1);
  if (values.length !== size) {
    throw new ValueError(`${who}: '${key}' has ${values.length} values but shape ${formatShape(e.shape)} needs ${size}.`);
  }
  return tensor(Float32Array.from(values), e.shape.slice(), 'float32');
}

/**
 * Parses a JSON state dict (a string or the parsed object) into name → float32 Tensor, for `module.loadStateDict`.
 *
 * ```ts
 * const dict = nn.loadStateDictJSON(fs.readFileSync('lstm_state.json', 'utf8'));
 * model.loadStateDict(dict);
 * ```
 */
export function loadStateDictJSON(json: string | { [name: string]: JSONTensor }): StateDict {
  const who = 'nn.loadStateDictJSON';
  const obj = parseJSONText(who, json);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new ValueError(
      `${who}: expected an object {name: {shape, data}}, received ${obj === null ? 'null' : Array.isArray(obj) ? 'an array' : typeof obj}.`,
    );
  }
  // Null prototype: a '__proto__' key from JSON.parse is an own entry, never the result's prototype.
  const out: StateDict = Object.create(null);
  for (const [key, entry] of Object.entries(obj as { [k: string]: unknown })) {
    out[key] = tensorFromJSON(who, key, entry);
  }
  return out;
}

/** The inverse: name → `{shape, data}` (JSON-serializable), e.g. to load into PyTorch with `torch.tensor(data).reshape(shape)`. */
export function stateDictToJSON(dict: StateDict): { [name: string]: { shape: number[]; data: number[] } } {
  const out: { [name: string]: { shape: number[]; data: number[] } } = {};
  for (const [k, t] of Object.entries(dict)) {
    if (!(t instanceof Tensor)) throw new ValueError(`nn.stateDictToJSON: '${k}' must be a Tensor, received ${typeof t}.`);
    out[k] = { shape: t.shape.slice(), data: Array.from(t.values, Number) };
  }
  return out;
}
