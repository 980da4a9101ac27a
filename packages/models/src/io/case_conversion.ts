/**
 * Key-case conversion between Keras-format configs (snake_case, what model.json holds) and
 * tfjs/recurrent configs (camelCase), as tfjs's `convertPythonicToTs` / `convertTsToPythonic`.
 *
 * Keys are converted everywhere (tfjs's toCamelCase / toSnakeCase). String VALUES are kept
 * verbatim except for known enum values under known keys, which are mapped by explicit tables
 * ('hard_sigmoid' ↔ 'hardSigmoid' under `activation`, 'fan_avg' ↔ 'fanAvg' under `mode`, ...).
 *
 * tfjs note: tfjs camel-/snake-cases every string value except `name` values and the layer names
 * heading `inbound_nodes` / `input_layers` / `output_layers` entries. That rewrites values it
 * should not (a dtype policy 'mixed_float16', an activation 'gelu_new' → 'geluNew', 'lecun_normal'
 * → 'lecunNormal' which tfjs itself does not know); recurrent maps only the enum values it knows and
 * keeps everything else, including layer names and class names, verbatim.
 */
import { assertSafeJSON, FORBIDDEN_KEYS } from './model_json';
import { ValueError } from '@recurrent/core';

/** snake_case → camelCase exactly as tfjs's `toCamelCase` (identifiers without '_' are unchanged). */
export function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || identifier.indexOf('_') === -1) return identifier;
  return identifier.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

/** camelCase → snake_case exactly as tfjs's `toSnakeCase` (a leading '_' gets a 'private' prefix). */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake[0] !== '_' ? snake : `private${snake}`;
}

type Table = { readonly [python: string]: string };

/** The table of snake_case values whose camelCase is `toCamelCase`'s, plus `others` spelled otherwise. */
function camelTable(values: string[], others: Table = {}): Table {
  const out: { [python: string]: string } = {};
  for (const v of values) out[v] = toCamelCase(v);
  return { ...out, ...others };
}

const ACTIVATIONS = camelTable(['hard_sigmoid', 'log_softmax']);
const INITIALIZERS = camelTable(
  ['glorot_normal', 'glorot_uniform', 'he_normal', 'he_uniform', 'random_normal', 'random_uniform', 'truncated_normal', 'variance_scaling'],
  { lecun_normal: 'leCunNormal', lecun_uniform: 'leCunUniform' },
);
const REGULARIZERS = camelTable([], { l1_l2: 'l1l2' });
const CONSTRAINTS = camelTable(['max_norm', 'min_max_norm', 'non_neg', 'unit_norm']);
const FAN_MODES = camelTable(['fan_in', 'fan_out', 'fan_avg']);
const DISTRIBUTIONS = camelTable(['truncated_normal', 'untruncated_normal']);
const DATA_FORMATS = camelTable(['channels_first', 'channels_last']);
const LOSS_NAMES = [
  'binary_crossentropy',
  'categorical_crossentropy',
  'sparse_categorical_crossentropy',
  'mean_squared_error',
  'mean_absolute_error',
  'mean_absolute_percentage_error',
  'mean_squared_logarithmic_error',
  'squared_hinge',
  'categorical_hinge',
  'kullback_leibler_divergence',
  'cosine_proximity',
  'huber_loss',
  'log_cosh',
];
const LOSSES = camelTable(LOSS_NAMES);
const METRICS = camelTable([
  ...LOSS_NAMES,
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy',
]);

/** Explicit enum-value tables, by camelCase config key. */
export const ENUM_VALUE_TABLES: { readonly [tsKey: string]: Table } = {
  activation: ACTIVATIONS,
  recurrentActivation: ACTIVATIONS,
  mode: FAN_MODES,
  distribution: DISTRIBUTIONS,
  dataFormat: DATA_FORMATS,
  loss: LOSSES,
  metrics: METRICS,
  weightedMetrics: METRICS,
};

/** Keys whose dictionary values (per-output losses/metrics) inherit the key's table. */
const PER_OUTPUT_KEYS = ['loss', 'metrics', 'weightedMetrics'];

function tableFor(tsKey: string | undefined): Table | undefined {
  if (tsKey === undefined) return undefined;
  if (Object.prototype.hasOwnProperty.call(ENUM_VALUE_TABLES, tsKey)) return ENUM_VALUE_TABLES[tsKey];
  if (tsKey.endsWith('Initializer')) return INITIALIZERS;
  if (tsKey.endsWith('Regularizer')) return REGULARIZERS;
  if (tsKey.endsWith('Constraint')) return CONSTRAINTS;
  return undefined;
}

const inverseCache = new Map<Table, Table>();
function inverse(table: Table): Table {
  let inv = inverseCache.get(table);
  if (!inv) {
    const out: { [k: string]: string } = {};
    for (const k of Object.keys(table)) out[table[k]] = k;
    inv = out;
    inverseCache.set(table, inv);
  }
  return inv;
}

function lookup(table: Table | undefined, value: string): string {
  return table !== undefined && Object.prototype.hasOwnProperty.call(table, value) ? table[value] : value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function convert(fn: string, value: Json, tsKey: string | undefined, toTs: boolean, path: string): Json {
  if (value === null || value === undefined) return toTs ? value : null;
  if (typeof value === 'string') {
    const table = tableFor(tsKey);
    return lookup(table === undefined ? undefined : toTs ? table : inverse(table), value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item, i) => convert(fn, item, tsKey, toTs, `${path}[${i}]`));
  if (typeof value !== 'object') {
    throw new ValueError(`${fn}: unsupported value of type ${typeof value} at ${path || '(root)'}; configs hold JSON values only.`);
  }
  const out: { [k: string]: Json } = {};
  const inherit = tsKey !== undefined && PER_OUTPUT_KEYS.includes(tsKey) ? tsKey : undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.includes(key)) throw new ValueError(`${fn}: forbidden key '${key}' at ${path ? `${path}.` : ''}${key}.`);
    // Keys of a per-output loss/metrics dict are output (layer) names: verbatim, as tfjs's loadTrainingConfig.
    const newKey = inherit !== undefined ? key : toTs ? toCamelCase(key) : toSnakeCase(key);
    if (FORBIDDEN_KEYS.includes(newKey))
      throw new ValueError(`${fn}: key '${key}' at ${path || '(root)'} converts to the forbidden key '${newKey}'.`);
    if (Object.prototype.hasOwnProperty.call(out, newKey)) {
      throw new ValueError(`${fn}: keys at ${path || '(root)'} collide: '${key}' and another key both convert to '${newKey}'.`);
    }
    const childTsKey = toTs ? newKey : key;
    const childContext = inherit !== undefined ? inherit : childTsKey;
    out[newKey] = convert(fn, value[key], childContext, toTs, path ? `${path}.${key}` : key);
  }
  return out;
}

/**
 * Converts a Keras-format (snake_case) config to tfjs/recurrent form (camelCase keys; known enum
 * values mapped by table; layer and class names verbatim). Throws on forbidden keys, colliding keys
 * and nesting deeper than 256 levels.
 *
 * ```js
 * convertPythonicToTs({class_name: 'LSTM', config: {name: 'lstm_1', recurrent_activation: 'hard_sigmoid'}})
 * // {className: 'LSTM', config: {name: 'lstm_1', recurrentActivation: 'hardSigmoid'}}
 * ```
 */
export function convertPythonicToTs(pythonicConfig: Json, key?: string): Json {
  assertSafeJSON('convertPythonicToTs', pythonicConfig);
  return convert('convertPythonicToTs', pythonicConfig, key === undefined ? undefined : toCamelCase(key), true, '');
}

/**
 * Converts a tfjs/recurrent (camelCase) config to Keras format (snake_case keys, known enum values
 * mapped back, `undefined` written as null as tfjs does; names verbatim).
 */
export function convertTsToPythonic(tsConfig: Json, key?: string): Json {
  assertSafeJSON('convertTsToPythonic', tsConfig);
  return convert('convertTsToPythonic', tsConfig, key, false, '');
}
