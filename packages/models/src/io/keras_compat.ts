/**
 * Keras compatibility: turns what real Keras 2.x / Keras 3.x files and tensorflowjs_converter output
 * hold into the tfjs-style Keras topology the loader deserializes (still snake_case: the loader runs
 * `convertPythonicToTs` afterwards), plus the weight rewrites some classes need. Pure: the input is
 * never modified.
 *
 * ```js
 * const {topology, weightTransforms, trainingConfig, warnings} =
 *   normalizeKerasTopology(artifacts.modelTopology, artifacts.weightSpecs, {generatedBy: artifacts.generatedBy});
 * // decode the weights with the file's specs, then:
 * const weights = applyKerasWeightTransforms(decodedWeights, weightTransforms);
 * ```
 *
 * What it rewrites (everything else passes through untouched):
 * - the converter's wrapper `{keras_version, backend, model_config, training_config}` → the model config
 *   (`keras_version`/`backend` kept on it; `training_config` returned as `trainingConfig`);
 * - Keras 3 serialization wrappers: `module`, `registered_name`, `build_config`, `compile_config` are dropped
 *   from every `{class_name, config}` object (layers, initializers, regularizers, constraints, cells);
 *   Keras 3 functions serialized as `{class_name: 'function', config: 'tanh'}` become the string;
 * - dtype policies (`{class_name: 'DTypePolicy' | 'FloatDTypePolicy' | 'Policy', config: {name}}`) → their
 *   name; half/mixed/float64 policies load as 'float32' (a warning says so); quantized policies are refused;
 * - Sequential: the legacy list form `config: [layers]` → `{layers}`; the Keras-level keys tfjs's
 *   Sequential does not take (`trainable`, `dtype`, `build_input_shape`) are dropped (`build_input_shape`
 *   gives the first layer its `batch_input_shape` when nothing else does);
 * - a leading `InputLayer` (Keras 2 `batch_input_shape` / `input_shape` + `batch_size`, Keras 3 `batch_shape`)
 *   is dropped and its shape moved to the next layer's `batch_input_shape` (an InputLayer elsewhere in a
 *   Sequential is an error; a lone InputLayer stays);
 * - `batch_shape` on any layer → `batch_input_shape` (tfjs rejects `batch_shape`);
 * - recurrent layers: `time_major: false`, `use_cudnn`, `zero_output_for_mask` are dropped
 *   (`time_major: true` is refused; `zero_output_for_mask: true` with `return_sequences` warns: masked steps
 *   of the sequence output repeat the previous output here, as in tfjs, instead of zeros);
 * - `CuDNNLSTM` → `LSTM` (activation tanh, recurrent_activation sigmoid, unit_forget_bias kept) and
 *   `CuDNNGRU` → `GRU` (reset_after true, activation tanh, recurrent_activation sigmoid), with Keras's
 *   own weight conversion (keras `preprocess_weights_for_loading` / `_convert_rnn_weights`): each gate's
 *   input kernel `k` [rows, units] becomes `k.T.reshape(k.shape, order='F')`, each gate's recurrent
 *   kernel is transposed, the CuDNNLSTM bias [8·units] becomes the sum of its halves [4·units] and the
 *   CuDNNGRU bias [6·units] becomes [2, 3·units];
 * - BatchNormalization: Keras's `synchronized`, `renorm`, `renorm_clipping`, `renorm_momentum`, `fused`,
 *   `virtual_batch_size`, `adjustment` are dropped; the load report warns when one would have changed
 *   training (`synchronized`/`renorm` true, a virtual batch size or an adjustment): inference is unaffected;
 * - `hard_sigmoid`: in Keras 3 files (keras_version '3…') it is relu6(x + 3) / 6 and becomes
 *   'hardSigmoidKeras3'; otherwise it stays tfjs's / Keras 2's clip(0.2·x + 0.5, 0, 1);
 * - Keras 3 class names tfjs spells differently: initializers `OrthogonalInitializer` → `Orthogonal`,
 *   `IdentityInitializer` → `Identity`, `LecunNormal`/`LecunUniform` → `LeCunNormal`/`LeCunUniform`;
 *   regularizers `L1` / `L2` → `L1L2`.
 *
 * No other keys are stripped: built-in classes validate their config when deserialized (layers/src/engine/args.ts):
 * Keras-only keys without effect here (`seed`, `lora_rank`, `quantization_config`, `ragged`, ...) load with one
 * warning, any other unknown key is refused with a "did you mean". Nesting of wrappers is bounded
 * (`maxWrapperDepth`, io/limits.ts) and every pass is linear in the topology's size.
 *
 * tfjs note: tfjs loads none of Keras 3's forms (batch_shape, DTypePolicy, module/registered_name),
 * nor CuDNN layers or GRU reset_after; this module is recurrent's addition.
 */
import { Tensor } from '@recurrent/core';
import { dropCellSegment } from './weight_matching';
import { getLoadLimits, raiseHint } from './limits';
import { assertSafeJSON } from './model_json';
import type { JSONObject, WeightsManifestConfig, WeightsManifestEntry } from './types';

const FN = 'normalizeKerasTopology';

/** A rewrite of one weight of the file, applied to its decoded values (row-major) after decoding. */
export interface KerasWeightTransform {
  /** What it does and why ("CuDNNLSTM 'lstm' → LSTM: bias [8·units] → [4·units], ..."). */
  description: string;
  /**
   * Pure: the new values and shape from the decoded values and the shape the file declares. Throws,
   * naming the weight, when the shape is not the one the transform expects.
   */
  apply(values: Float32Array, shape: number[]): { values: Float32Array; shape: number[] };
}

/** Options of `normalizeKerasTopology`. */
export interface NormalizeKerasOptions {
  /**
   * The Keras version that wrote the file when the topology has no `keras_version` ('3.3.3'), or
   * model.json's `generatedBy` ('keras v3.3.3'). The topology's own `keras_version` wins.
   */
  kerasVersion?: string | null;
  /** model.json's `generatedBy` ('keras v2.15.0'), used when no version is given otherwise. */
  generatedBy?: string | null;
}

/** What `normalizeKerasTopology` returns. */
export interface NormalizedKerasTopology {
  /** `{class_name, config, keras_version?, backend?}`, snake_case, in the form tfjs's deserializer reads. */
  topology: JSONObject;
  /**
   * Rewrites keyed by the FILE's weight name (as in the weight specs; the canonical `layer/kernel` names
   * when no specs were given). Apply them to the decoded weights before matching them to variables
   * (`applyKerasWeightTransforms`).
   */
  weightTransforms: { [weightName: string]: KerasWeightTransform };
  /** The converter wrapper's `training_config` (Keras 3 wrappers cleaned), or null. */
  trainingConfig: JSONObject | null;
  /** The Keras version the file says it was written by, or null when it does not say. */
  kerasVersion: string | null;
  /** 3 when the file is from Keras 3 (by version, or by Keras-3-only forms), 2 when it says Keras 2, else null. */
  kerasMajor: number | null;
  /** What was changed in a way that affects results or was assumed; empty for a plain tfjs file. */
  warnings: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function isObject(x: unknown): x is JSONObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(x)) return `the array ${JSON.stringify(x).slice(0, 80)}`;
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return `the string '${x.length > 40 ? `${x.slice(0, 40)}...` : x}'`;
  return `${typeof x} ${String(x)}`;
}

function fail(path: string, message: string): never {
  throw new Error(`${FN}: ${path ? `${path}: ` : ''}${message}`);
}

function at(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Keys of Keras 3's serialization wrapper, dropped from every `{class_name, config}` object. */
const WRAPPER_KEYS = ['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id'];

const DTYPE_POLICY_CLASSES = ['DTypePolicy', 'FloatDTypePolicy', 'Policy'];
/** dtype (policy) names that load as float32: computation here is float32. */
const FLOAT_LIKE_DTYPES = ['float16', 'bfloat16', 'float64', 'mixed_float16', 'mixed_bfloat16'];
const PLAIN_DTYPES = ['float32', 'int32', 'bool'];

const INITIALIZER_RENAMES: { [keras: string]: string } = {
  OrthogonalInitializer: 'Orthogonal',
  IdentityInitializer: 'Identity',
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
};

const RNN_CLASSES = ['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'CuDNNLSTM', 'CuDNNGRU'];
const ACTIVATION_KEYS = ['activation', 'recurrent_activation'];

interface Context {
  keras3: boolean;
  versionKnown: boolean;
  warnings: string[];
  weightTransforms: { [name: string]: KerasWeightTransform };
  specs: WeightsManifestEntry[] | null;
  warnedDtypes: Set<string>;
  warnedHardSigmoid: boolean;
  /** Spec by file name, and by name without a cell segment (first wins), built once: lookups stay O(1). */
  specIndex: { exact: Map<string, WeightsManifestEntry>; viaCell: Map<string, WeightsManifestEntry> } | null;
  /** Nesting of layers inside wrappers (bounded by the maxWrapperDepth limit). */
  depth: number;
}

/** Most candidate weight-name prefixes kept per copy of a wrapped layer (so nesting cannot double them without bound). */
const MAX_PREFIXES = 64;

// ---------------------------------------------------------------------------------------------
// Generic cleaning (every nested value)

function normalizeDtype(ctx: Context, value: Json, path: string): Json {
  let name: unknown = value;
  if (isObject(value)) {
    const cls = value.class_name;
    if (typeof cls !== 'string') fail(path, `a dtype policy object must have a class_name (e.g. 'DTypePolicy'), received ${describe(cls)}.`);
    if (/Quantized/.test(cls)) {
      fail(path, `quantized dtype policy '${cls}' is not supported (quantized Keras weights cannot be loaded); save the model unquantized.`);
    }
    if (!DTYPE_POLICY_CLASSES.includes(cls)) {
      fail(path, `unknown dtype policy class '${cls}'; expected one of ${DTYPE_POLICY_CLASSES.join(', ')}.`);
    }
    if (!isObject(value.config) || typeof value.config.name !== 'string') {
      fail(at(path, 'config.name'), `a dtype policy needs its name as a string (e.g. 'float32'), received ${describe(isObject(value.config) ? value.config.name : value.config)}.`);
    }
    name = value.config.name;
  }
  if (typeof name !== 'string') return value; // null and other forms are left to the layer
  if (PLAIN_DTYPES.includes(name)) return name;
  if (FLOAT_LIKE_DTYPES.includes(name)) {
    if (!ctx.warnedDtypes.has(name)) {
      ctx.warnedDtypes.add(name);
      ctx.warnings.push(`dtype '${name}' (at ${path}) loads as 'float32': recurrent computes and stores weights in float32.`);
    }
    return 'float32';
  }
  if (/^(int8|float8|int4)/.test(name)) fail(path, `quantized dtype policy '${name}' is not supported; save the model unquantized.`);
  return fail(path, `unsupported dtype '${name}'; expected one of ${[...PLAIN_DTYPES, ...FLOAT_LIKE_DTYPES].join(', ')}.`);
}

function normalizeActivation(ctx: Context, value: Json, path: string): Json {
  let v = value;
  if (isObject(v) && v.class_name === 'function' && typeof v.config === 'string') v = v.config;
  if (v === 'hard_sigmoid' || v === 'hardSigmoid') {
    if (!ctx.versionKnown && !ctx.warnedHardSigmoid && ctx.keras3) {
      ctx.warnedHardSigmoid = true;
      ctx.warnings.push(
        `'hard_sigmoid' (at ${path}) is read as Keras 3's relu6(x + 3) / 6: the file does not say which Keras wrote it, ` +
          `but it uses Keras 3 forms (batch_shape, DTypePolicy); pass {kerasVersion: '2'} for clip(0.2·x + 0.5, 0, 1).`,
      );
    }
    if (ctx.keras3) return 'hardSigmoidKeras3';
    if (!ctx.versionKnown && !ctx.warnedHardSigmoid) {
      ctx.warnedHardSigmoid = true;
      ctx.warnings.push(
        `'hard_sigmoid' (at ${path}) is read as tfjs's / Keras 2's clip(0.2·x + 0.5, 0, 1): the file does not say which Keras wrote it ` +
          `(Keras 3's hard_sigmoid is relu6(x + 3) / 6; pass {kerasVersion: '3'} for that).`,
      );
    }
    return v;
  }
  return clean(ctx, v, path);
}

/**
 * Recursively copies `value`, dropping Keras 3 wrapper keys from class objects, collapsing dtype
 * policies, mapping activations and Keras 3 class names.
 */
function clean(ctx: Context, value: Json, path: string, key?: string): Json {
  if (Array.isArray(value)) return value.map((v, i) => clean(ctx, v, at(path, i), key));
  if (!isObject(value)) return value;
  const isClassObject = typeof value.class_name === 'string';
  // Keras 3 serializes plain functions (losses, metrics, activations) as {class_name: 'function', config: 'name'}.
  if (isClassObject && value.class_name === 'function' && typeof value.config === 'string') return value.config;
  const out: JSONObject = {};
  for (const k of Object.keys(value)) {
    if (isClassObject && WRAPPER_KEYS.includes(k)) continue;
    const p = at(path, k);
    const v = value[k];
    if (k === 'dtype') out[k] = normalizeDtype(ctx, v, p);
    else if (ACTIVATION_KEYS.includes(k)) out[k] = normalizeActivation(ctx, v, p);
    else out[k] = clean(ctx, v, p, k);
  }
  if (isClassObject && key !== undefined) {
    if (key.endsWith('_initializer') && Object.prototype.hasOwnProperty.call(INITIALIZER_RENAMES, out.class_name)) {
      out.class_name = INITIALIZER_RENAMES[out.class_name];
    } else if (key.endsWith('_regularizer') && (out.class_name === 'L1' || out.class_name === 'L2')) {
      const c = isObject(out.config) ? out.config : {};
      const l1 = out.class_name === 'L1' ? c.l1 ?? 0.01 : 0;
      const l2 = out.class_name === 'L2' ? c.l2 ?? 0.01 : 0;
      out.class_name = 'L1L2';
      out.config = { l1, l2 };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shapes

function checkShape(value: unknown, path: string, withBatch: boolean): (number | null)[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
    fail(path, `must be an array of positive integers or nulls${withBatch ? ' (batch dimension first)' : ''}, received ${describe(value)}.`);
  }
  return value.slice();
}

function sameShape(a: (number | null)[], b: (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `batch_shape` → `batch_input_shape` on one layer config (in place on the copy). */
function renameBatchShape(config: JSONObject, path: string): void {
  if (config.batch_shape === undefined) return;
  const shape = config.batch_shape === null ? null : checkShape(config.batch_shape, at(path, 'batch_shape'), true);
  if (config.batch_input_shape != null && shape !== null) {
    const other = checkShape(config.batch_input_shape, at(path, 'batch_input_shape'), true);
    if (!sameShape(other, shape)) {
      fail(path, `batch_shape ${JSON.stringify(shape)} and batch_input_shape ${JSON.stringify(other)} disagree.`);
    }
  }
  delete config.batch_shape;
  if (shape !== null && config.batch_input_shape == null) config.batch_input_shape = shape;
}

/** The batch input shape an InputLayer config declares. */
function inputLayerShape(config: JSONObject, path: string): (number | null)[] {
  if (config.sparse === true) fail(at(path, 'sparse'), 'sparse inputs are not supported.');
  if (config.ragged === true) fail(at(path, 'ragged'), 'ragged inputs are not supported.');
  if (config.batch_input_shape != null) return checkShape(config.batch_input_shape, at(path, 'batch_input_shape'), true);
  if (config.input_shape != null) {
    const s = checkShape(config.input_shape, at(path, 'input_shape'), false);
    const b = config.batch_size;
    if (b != null && !(Number.isInteger(b) && b > 0)) fail(at(path, 'batch_size'), `must be a positive integer or null, received ${describe(b)}.`);
    return [b ?? null, ...s];
  }
  return fail(path, 'the InputLayer has no batch_shape, batch_input_shape or input_shape.');
}

// ---------------------------------------------------------------------------------------------
// Layers

function layerName(entry: JSONObject): string {
  return isObject(entry.config) && typeof entry.config.name === 'string' ? entry.config.name : '';
}

function label(entry: JSONObject, path: string): string {
  const n = layerName(entry);
  return `${path} (${entry.class_name}${n ? ` '${n}'` : ''})`;
}

/**
 * Normalizes one (cleaned) layer entry `{class_name, config}`. `copies` lists, for each copy of this
 * layer's weights in the model (a Bidirectional has two), the candidate name prefixes of its weights.
 */
function normalizeLayer(ctx: Context, entry: Json, path: string, copies: string[][]): JSONObject {
  const max = getLoadLimits().maxWrapperDepth;
  if (ctx.depth >= max) {
    fail(path, `layers nest more than ${max} levels deep inside wrappers (TimeDistributed, Bidirectional, Sequential) ${raiseHint('maxWrapperDepth')}.`);
  }
  ctx.depth++;
  try {
    return normalizeLayerAt(ctx, entry, path, copies);
  } finally {
    ctx.depth--;
  }
}

/** Unique prefixes, at most MAX_PREFIXES of them (the most specific, listed first, are kept). */
function boundPrefixes(prefixes: string[]): string[] {
  return [...new Set(prefixes)].slice(0, MAX_PREFIXES);
}

function normalizeLayerAt(ctx: Context, entry: Json, path: string, copies: string[][]): JSONObject {
  if (!isObject(entry)) fail(path, `a layer must be an object {class_name, config}, received ${describe(entry)}.`);
  if (typeof entry.class_name !== 'string' || entry.class_name.length === 0) {
    fail(at(path, 'class_name'), `must be the layer's class name, received ${describe(entry.class_name)}.`);
  }
  if (entry.config !== undefined && !isObject(entry.config) && !(entry.class_name === 'Sequential' && Array.isArray(entry.config))) {
    fail(at(path, 'config'), `must be an object, received ${describe(entry.config)}.`);
  }
  const out: JSONObject = { ...entry, config: isObject(entry.config) ? { ...entry.config } : entry.config ?? {} };
  const cls: string = out.class_name;
  if (cls === 'Sequential') {
    // Nested in a functional model, the entry also carries its name and inbound nodes.
    const seq = normalizeSequential(ctx, out, path);
    if (out.name !== undefined) seq.name = out.name;
    if (out.inbound_nodes !== undefined) seq.inbound_nodes = out.inbound_nodes;
    return seq;
  }
  const config: JSONObject = out.config;
  const here = label(out, path);
  renameBatchShape(config, here);

  if (RNN_CLASSES.includes(cls)) normalizeRecurrentConfig(ctx, config, here);
  if (cls === 'BatchNormalization') normalizeBatchNormConfig(ctx, config, here);
  if (cls === 'CuDNNLSTM' || cls === 'CuDNNGRU') convertCuDNN(ctx, out, here, copies);

  if (cls === 'Bidirectional') {
    // Keras 3 names the wrapped copies 'forward_x' / 'backward_x'; recurrent (as tfjs) adds those prefixes itself.
    const inner = (key: string, prefix: string): string => {
      const c = config[key];
      if (!isObject(c) || !isObject(c.config) || typeof c.config.name !== 'string') return '';
      if (c.config.name.startsWith(prefix) && c.config.name.length > prefix.length) {
        config[key] = { ...c, config: { ...c.config, name: c.config.name.slice(prefix.length) } };
      }
      return config[key].config.name;
    };
    if (config.layer == null) fail(at(here, 'layer'), 'a Bidirectional needs the wrapped recurrent layer.');
    const fwd = inner('layer', 'forward_');
    const hasBackward = config.backward_layer != null;
    const bwd = hasBackward ? inner('backward_layer', 'backward_') : fwd;
    const fwdCopies = copies.map((c) => boundPrefixes(c.map((p) => `${p}/forward_${fwd}`)));
    const bwdCopies = copies.map((c) => boundPrefixes(c.map((p) => `${p}/backward_${bwd}`)));
    config.layer = normalizeLayer(ctx, config.layer, at(here, 'layer'), hasBackward ? fwdCopies : [...fwdCopies, ...bwdCopies]);
    if (hasBackward) config.backward_layer = normalizeLayer(ctx, config.backward_layer, at(here, 'backward_layer'), bwdCopies);
  } else if (cls === 'TimeDistributed' && config.layer != null) {
    const innerName = isObject(config.layer) && isObject(config.layer.config) ? String(config.layer.config.name ?? '') : '';
    config.layer = normalizeLayer(ctx, config.layer, at(here, 'layer'), copies.map((c) => boundPrefixes(c.flatMap((p) => [p, `${p}/${innerName}`]))));
  } else if (cls === 'RNN' && config.cell != null) {
    const cells = Array.isArray(config.cell) ? config.cell : [config.cell];
    cells.forEach((c: Json, i: number) => {
      const p = at(here, Array.isArray(config.cell) ? `cell[${i}]` : 'cell');
      if (!isObject(c)) fail(p, `must be a cell object {class_name, config}, received ${describe(c)}.`);
      if (isObject(c.config)) renameBatchShape(c.config, p);
    });
  }
  return out;
}

function normalizeRecurrentConfig(ctx: Context, config: JSONObject, here: string): void {
  if (config.time_major === true) {
    fail(at(here, 'time_major'), 'time_major true (inputs [time, batch, features]) is not supported; recurrent layers take [batch, time, features].');
  }
  delete config.time_major;
  delete config.use_cudnn;
  if (config.zero_output_for_mask === true && config.return_sequences === true) {
    ctx.warnings.push(
      `${here}: zero_output_for_mask is ignored: masked steps of the sequence output repeat the previous output (as tfjs) instead of being zeros.`,
    );
  }
  delete config.zero_output_for_mask;
}

/** Keras BatchNormalization keys recurrent does not implement (multi-device sync, batch renormalization, ghost batches). */
const BATCH_NORM_IGNORED = ['synchronized', 'renorm', 'renorm_clipping', 'renorm_momentum', 'fused', 'virtual_batch_size', 'adjustment'];

function normalizeBatchNormConfig(ctx: Context, config: JSONObject, here: string): void {
  const active = BATCH_NORM_IGNORED.filter(
    (k) => (k === 'synchronized' || k === 'renorm' ? config[k] === true : k === 'virtual_batch_size' || k === 'adjustment' ? config[k] != null : false),
  );
  if (active.length > 0) {
    ctx.warnings.push(
      `${here}: ${active.join(', ')} ignored: training uses plain batch statistics on one device (inference, with the moving statistics, is unaffected).`,
    );
  }
  for (const k of BATCH_NORM_IGNORED) delete config[k];
}

// ---------------------------------------------------------------------------------------------
// CuDNN layers

/** Keras's per-gate input-kernel conversion from CuDNN layout: `k.T.reshape(k.shape, order='F')`. */
export function cudnnKernelToKeras(values: Float32Array, rows: number, units: number, gates: number): Float32Array {
  const cols = gates * units;
  const out = new Float32Array(rows * cols);
  for (let g = 0; g < gates; g++) {
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        // The gate's block, flattened row-major, read as a [units, rows] matrix W; Keras's kernel is W.T.
        const n = u * rows + r;
        out[r * cols + g * units + u] = values[Math.floor(n / units) * cols + g * units + (n % units)];
      }
    }
  }
  return out;
}

function checkWeightShape(what: string, shape: number[], expected: (number | null)[]): void {
  if (shape.length !== expected.length || expected.some((d, i) => d !== null && d !== shape[i])) {
    throw new Error(
      `${FN}: ${what} has shape [${shape.join(',')}] but [${expected.map((d) => (d === null ? '?' : d)).join(',')}] was expected.`,
    );
  }
}

function findWeightName(ctx: Context, prefixes: string[], weight: string, here: string): string {
  const candidates = prefixes.map((p) => `${p}/${weight}`);
  if (ctx.specs === null) return candidates[0];
  if (ctx.specIndex === null) {
    const exact = new Map<string, WeightsManifestEntry>();
    const viaCell = new Map<string, WeightsManifestEntry>();
    for (const sp of ctx.specs) {
      if (!exact.has(sp.name)) exact.set(sp.name, sp);
      const d = dropCellSegment(sp.name);
      if (d !== null && !viaCell.has(d)) viaCell.set(d, sp);
    }
    ctx.specIndex = { exact, viaCell };
  }
  for (const c of candidates) {
    const exact = ctx.specIndex.exact.get(c);
    if (exact) return exact.name;
  }
  for (const c of candidates) {
    const viaCell = ctx.specIndex.viaCell.get(c);
    if (viaCell) return viaCell.name;
  }
  return fail(
    here,
    `the weight specs have no '${weight}' for this layer (looked for ${candidates.map((c) => `'${c}'`).join(', ')}); ` +
      `its CuDNN weights must be converted, so they are needed by name.`,
  );
}

function convertCuDNN(ctx: Context, entry: JSONObject, here: string, copies: string[][]): void {
  const lstm = entry.class_name === 'CuDNNLSTM';
  const config: JSONObject = entry.config;
  const units = config.units;
  if (!(Number.isInteger(units) && units > 0)) fail(at(here, 'units'), `must be a positive integer, received ${describe(units)}.`);
  const target = lstm ? 'LSTM' : 'GRU';
  entry.class_name = target;
  config.activation = 'tanh';
  config.recurrent_activation = 'sigmoid';
  config.use_bias = true;
  if (lstm) config.unit_forget_bias = config.unit_forget_bias ?? true;
  else config.reset_after = true;
  const who = `${lstm ? 'CuDNNLSTM' : 'CuDNNGRU'} '${layerName(entry)}' → ${target}`;

  for (const prefixes of copies) addCuDNNTransforms(ctx, lstm, units, who, here, prefixes);
}

function addCuDNNTransforms(ctx: Context, lstm: boolean, units: number, who: string, here: string, prefixes: string[]): void {
  const G = lstm ? 4 : 3;
  const kernelName = findWeightName(ctx, prefixes, 'kernel', here);
  const recurrentName = findWeightName(ctx, prefixes, 'recurrent_kernel', here);
  const biasName = findWeightName(ctx, prefixes, 'bias', here);

  ctx.weightTransforms[kernelName] = {
    description: `${who}: input kernel per gate from CuDNN layout (k.T.reshape(k.shape, order='F'), as Keras)`,
    apply(values, shape) {
      checkWeightShape(`weight '${kernelName}' (${who})`, shape, [null, G * units]);
      return { values: cudnnKernelToKeras(values, shape[0], units, G), shape: shape.slice() };
    },
  };
  ctx.weightTransforms[recurrentName] = {
    description: `${who}: recurrent kernel per gate transposed (as Keras)`,
    apply(values, shape) {
      checkWeightShape(`weight '${recurrentName}' (${who})`, shape, [units, G * units]);
      return { values: cudnnKernelToKeras(values, units, units, G), shape: shape.slice() };
    },
  };
  ctx.weightTransforms[biasName] = lstm
    ? {
      description: `${who}: bias [8·units] (input then recurrent biases) → [4·units], their sum (as Keras)`,
      apply(values, shape) {
        checkWeightShape(`weight '${biasName}' (${who}: CuDNNLSTM bias is [8·units])`, shape, [8 * units]);
        const out = new Float32Array(4 * units);
        for (let i = 0; i < 4 * units; i++) out[i] = values[i] + values[4 * units + i];
        return { values: out, shape: [4 * units] };
      },
    }
    : {
      description: `${who}: bias [6·units] → [2, 3·units] (input biases, recurrent biases; GRU reset_after, as Keras)`,
      apply(values, shape) {
        checkWeightShape(`weight '${biasName}' (${who}: CuDNNGRU bias is [6·units])`, shape, [6 * units]);
        return { values: values.slice(), shape: [2, 3 * units] };
      },
    };
  if (ctx.specs !== null) {
    // Check the declared shapes now, so a wrong file fails before anything is decoded.
    const spec = (n: string) => (ctx.specIndex as NonNullable<Context['specIndex']>).exact.get(n)!;
    checkWeightShape(`weight '${kernelName}' (${who})`, spec(kernelName).shape, [null, G * units]);
    checkWeightShape(`weight '${recurrentName}' (${who})`, spec(recurrentName).shape, [units, G * units]);
    checkWeightShape(`weight '${biasName}' (${who}: ${lstm ? 'CuDNNLSTM bias is [8·units]' : 'CuDNNGRU bias is [6·units]'})`, spec(biasName).shape, [(lstm ? 8 : 6) * units]);
  }
}

// ---------------------------------------------------------------------------------------------
// Models

function normalizeSequential(ctx: Context, entry: JSONObject, path: string): JSONObject {
  let config = entry.config;
  // Keras <= 2.2 wrote a Sequential's config as the bare list of layers.
  if (Array.isArray(config)) config = { layers: config };
  if (!isObject(config)) fail(at(path, 'config'), `a Sequential config must be an object {name, layers}, received ${describe(config)}.`);
  const layersIn = config.layers;
  if (!Array.isArray(layersIn)) fail(at(path, 'config.layers'), `must be an array of layers, received ${describe(layersIn)}.`);
  const out: JSONObject = {};
  if (config.name !== undefined) out.name = config.name;
  let layers: JSONObject[] = layersIn.slice();

  // A leading InputLayer: its shape goes to the next layer.
  let inputShape: (number | null)[] | null = null;
  if (layers.length > 1 && isObject(layers[0]) && layers[0].class_name === 'InputLayer') {
    const first = layers[0];
    const p = label(first, at(path, 'config.layers[0]'));
    if (!isObject(first.config)) fail(at(p, 'config'), `must be an object, received ${describe(first.config)}.`);
    const c = { ...first.config };
    renameBatchShape(c, p);
    inputShape = inputLayerShape(c, p);
    layers = layers.slice(1);
  } else if (config.build_input_shape != null) {
    inputShape = checkShape(config.build_input_shape, at(path, 'config.build_input_shape'), true);
  }
  const offset = layersIn.length - layers.length;
  out.layers = layers.map((l, i) => {
    const p = at(path, `config.layers[${i + offset}]`);
    if (isObject(l) && l.class_name === 'InputLayer' && (i > 0 || offset > 0)) {
      fail(`${label(l, p)}`, 'an InputLayer can only be the first layer of a Sequential model.');
    }
    return normalizeLayer(ctx, l, p, [[layerName(l)]]);
  });
  if (inputShape !== null && out.layers.length > 0) {
    const first = out.layers[0];
    const p = label(first, at(path, `config.layers[${offset}]`));
    if (first.class_name === 'Sequential') {
      const inner = first.config.layers?.[0];
      if (isObject(inner) && isObject(inner.config) && inner.config.batch_input_shape == null) inner.config.batch_input_shape = inputShape;
    } else if (first.config.batch_input_shape != null) {
      const own = checkShape(first.config.batch_input_shape, at(p, 'config.batch_input_shape'), true);
      if (offset > 0 && !sameShape(own, inputShape)) {
        fail(p, `batch_input_shape ${JSON.stringify(own)} disagrees with the InputLayer's shape ${JSON.stringify(inputShape)}.`);
      }
    } else {
      first.config.batch_input_shape = inputShape;
    }
  }
  return { class_name: 'Sequential', config: out };
}

/** True for the characters a version token may hold after its first digit: letters, digits, '_', '-', '+', '.'. */
function isVersionChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 43 || c === 46;
}

/**
 * '3.3.3' from '3.3.3', 'keras v3.3.3' or '2.2.4-tf'; null for anything else. A single left-to-right
 * scan (no backtracking regular expression: a long hostile string costs linear time).
 */
function parseVersion(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > getLoadLimits().maxVersionLength) return null;
  let s = v.trim();
  if (s.slice(0, 5).toLowerCase() === 'keras') {
    s = s.slice(5).trimStart();
    if (s[0] === 'v' || s[0] === 'V') s = s.slice(1).trimStart();
  }
  if (s.length === 0 || !(s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57)) return null;
  for (let i = 1; i < s.length; i++) if (!isVersionChar(s.charCodeAt(i))) return null;
  return s;
}

/** Refuses a version field longer than the maxVersionLength limit (it is scanned and quoted in warnings). */
function checkVersionLength(field: string, v: unknown): void {
  const max = getLoadLimits().maxVersionLength;
  if (typeof v === 'string' && v.length > max) {
    fail(field, `a version string of ${v.length} characters is longer than ${max} ${raiseHint('maxVersionLength')}.`);
  }
}

/**
 * tfjs writes keras_version 'tfjs-layers 4.22.0' and recurrent 'recurrent 0.1.0': tfjs-form files, whose
 * 'hard_sigmoid' is tfjs's / Keras 2's.
 */
function isTfjsVersion(v: unknown): boolean {
  return typeof v === 'string' && /^\s*(tfjs|recurrent)\b/i.test(v);
}

/** True when the (cleaned or raw) topology holds a form only Keras 3 writes. */
function hasKeras3Forms(value: Json, depth = 0): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => hasKeras3Forms(v, depth + 1));
  if (!isObject(value)) return false;
  if (value.class_name === 'DTypePolicy' || value.class_name === 'FloatDTypePolicy') return true;
  if (value.class_name === 'InputLayer' && isObject(value.config) && value.config.batch_shape !== undefined) return true;
  return Object.keys(value).some((k) => hasKeras3Forms(value[k], depth + 1));
}

function specsOf(weightSpecs: unknown): WeightsManifestEntry[] | null {
  if (weightSpecs == null) return null;
  if (!Array.isArray(weightSpecs)) fail('weightSpecs', `must be an array of weight specs (or a weights manifest), received ${describe(weightSpecs)}.`);
  const out: WeightsManifestEntry[] = [];
  weightSpecs.forEach((s: Json, i: number) => {
    if (isObject(s) && Array.isArray(s.weights) && s.name === undefined) {
      out.push(...(s as WeightsManifestConfig[number]).weights); // a manifest group
    } else {
      if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.shape)) {
        fail(`weightSpecs[${i}]`, `must be a weight spec {name, shape, dtype}, received ${describe(s)}.`);
      }
      out.push(s as WeightsManifestEntry);
    }
  });
  return out;
}

/**
 * Normalizes a Keras / tensorflowjs_converter model topology (model.json's `modelTopology`) into the
 * tfjs-style Keras form the loader deserializes, and lists the weight rewrites it needs. See the
 * module comment for what is handled. `weightSpecs` (the file's specs, or its weights manifest) let
 * CuDNN weight rewrites be keyed by the file's own weight names and their shapes be checked up front.
 * Throws an Error naming the field for malformed input. Does not modify its arguments.
 */
export function normalizeKerasTopology(
  modelTopology: unknown,
  weightSpecs?: WeightsManifestEntry[] | WeightsManifestConfig | null,
  options: NormalizeKerasOptions = {},
): NormalizedKerasTopology {
  if (!isObject(modelTopology)) fail('modelTopology', `must be an object (the Keras model config), received ${describe(modelTopology)}.`);
  if (options === null || typeof options !== 'object') fail('options', `must be an object, received ${describe(options)}.`);
  // Depth, size (shared sub-objects counted per reference), string lengths and forbidden keys, before any recursive pass.
  assertSafeJSON(FN, modelTopology, 'modelTopology');
  checkVersionLength('options.kerasVersion', options.kerasVersion);
  checkVersionLength('options.generatedBy', options.generatedBy);
  const specs = specsOf(weightSpecs);

  let model: JSONObject = modelTopology;
  let trainingConfigRaw: Json = null;
  let versionField: unknown = modelTopology.keras_version;
  let backend: Json = modelTopology.backend;
  let modelPath = '';
  if (modelTopology.model_config !== undefined) {
    if (!isObject(modelTopology.model_config)) {
      fail('model_config', `must be an object {class_name, config} (the converter's model wrapper), received ${describe(modelTopology.model_config)}.`);
    }
    model = modelTopology.model_config;
    modelPath = 'model_config';
    trainingConfigRaw = modelTopology.training_config ?? null;
    if (trainingConfigRaw !== null && !isObject(trainingConfigRaw)) {
      fail('training_config', `must be an object or null, received ${describe(trainingConfigRaw)}.`);
    }
    versionField = versionField ?? model.keras_version;
    backend = backend ?? model.backend;
  }
  checkVersionLength('keras_version', versionField);
  const fromTfjs = isTfjsVersion(versionField);
  let kerasVersion = fromTfjs ? null : parseVersion(versionField);
  const unparsedVersion = typeof versionField === 'string' && !fromTfjs && kerasVersion === null;
  if (versionField != null && typeof versionField !== 'string') {
    fail('keras_version', `must be a version string like '2.15.0' or '3.3.3', received ${describe(versionField)}.`);
  }
  if (kerasVersion === null && !fromTfjs && options.kerasVersion != null) {
    kerasVersion = parseVersion(options.kerasVersion);
    if (kerasVersion === null) fail('options.kerasVersion', `must be a version string like '3.3.3', received ${describe(options.kerasVersion)}.`);
  }
  if (kerasVersion === null && !fromTfjs && options.generatedBy != null && /^\s*keras\b/i.test(String(options.generatedBy))) {
    kerasVersion = parseVersion(options.generatedBy);
  }
  const major = kerasVersion !== null ? Number.parseInt(kerasVersion, 10) : NaN;
  const keras3 = Number.isFinite(major) ? major >= 3 : !fromTfjs && hasKeras3Forms(model);

  const ctx: Context = {
    keras3,
    versionKnown: Number.isFinite(major) || fromTfjs,
    warnings: [],
    weightTransforms: {},
    specs,
    warnedDtypes: new Set(),
    warnedHardSigmoid: false,
    specIndex: null,
    depth: 0,
  };
  if (unparsedVersion) ctx.warnings.push(`keras_version ${JSON.stringify(versionField)} is not a version number; it is ignored.`);

  if (typeof model.class_name !== 'string') {
    fail(at(modelPath, 'class_name'), `must be the model's class name (e.g. 'Sequential'), received ${describe(model.class_name)}.`);
  }
  const cleaned: JSONObject = clean(ctx, model, modelPath);
  delete cleaned.keras_version;
  delete cleaned.backend;
  let topology: JSONObject;
  if (cleaned.class_name === 'Sequential') {
    topology = normalizeSequential(ctx, cleaned, modelPath);
  } else {
    // Functional models: layer configs are normalized in place; the graph is left to the loader.
    topology = { ...cleaned };
    if (isObject(cleaned.config) && Array.isArray(cleaned.config.layers)) {
      topology.config = {
        ...cleaned.config,
        layers: cleaned.config.layers.map((l: Json, i: number) => {
          const p = at(modelPath, `config.layers[${i}]`);
          if (!isObject(l)) fail(p, `a layer must be an object {class_name, config}, received ${describe(l)}.`);
          return normalizeLayer(ctx, l, p, [[layerName(l)]]);
        }),
      };
    }
  }
  if (typeof versionField === 'string') topology.keras_version = versionField;
  if (typeof backend === 'string') topology.backend = backend;

  return {
    topology,
    weightTransforms: ctx.weightTransforms,
    trainingConfig: trainingConfigRaw === null ? null : clean(ctx, trainingConfigRaw, 'training_config'),
    kerasVersion,
    kerasMajor: Number.isFinite(major) ? major : keras3 ? 3 : null,
    warnings: ctx.warnings,
  };
}

/**
 * Applies `normalizeKerasTopology`'s weight rewrites to decoded weights (`{fileName: Tensor}`, as
 * `decodeWeights` returns); returns a new map (untransformed tensors are shared, not copied). A
 * transform whose weight is absent is an error naming it.
 */
export function applyKerasWeightTransforms(
  weights: { [name: string]: Tensor },
  transforms: { [name: string]: KerasWeightTransform },
): { [name: string]: Tensor } {
  const out: { [name: string]: Tensor } = { ...weights };
  for (const name of Object.keys(transforms)) {
    const t = weights[name];
    if (t === undefined) {
      throw new Error(`applyKerasWeightTransforms: the weights have no '${name}' (${transforms[name].description}).`);
    }
    const values = t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync());
    const r = transforms[name].apply(values, t.shape.slice());
    out[name] = new Tensor(r.values, r.shape, 'float32');
  }
  return out;
}
