/**
 * Generic cleaning of every nested value: Keras 3 serialization wrappers (module, registered_name, ...),
 * dtype policies, activations (hard_sigmoid by Keras version), Keras 3 initializer / regularizer names.
 */
import type { Context } from './types';
import { at, describe, fail } from './util';
import { asObject, isObject, type JsonObject, type JsonValue } from './json';

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

const ACTIVATION_KEYS = ['activation', 'recurrent_activation'];

/**
 * Keras 3.12+ VarianceScaling-family options (GlorotUniform, HeNormal, LecunUniform, ...): the axes fan-in /
 * fan-out are computed over. Written as null by default; they only change how fresh values would be drawn.
 */
const FAN_AXES_KEYS = ['input_axes', 'output_axes'];

/**
 * Drops Keras 3's `input_axes` / `output_axes` from an initializer's config: null (the default, the
 * shape-based fans every initializer here uses) silently; set ones with a warning, since a loaded model's
 * weights come from the file and the initializer only matters if it is used again.
 * tfjs note: tfjs refuses the config (unknown keys); Keras 3.15 writes them on every VarianceScaling initializer.
 */
function dropFanAxes(ctx: Context, init: JsonObject, path: string): void {
  const config = asObject(init.config);
  if (!config) return;
  for (const k of FAN_AXES_KEYS) {
    if (!(k in config)) continue;
    if (config[k] !== null) {
      ctx.warnings.push(
        `${at(at(path, 'config'), k)}: ${describe(config[k])} is ignored; the initializer computes fans from the weight shape ` +
          `(the loaded weights come from the file).`,
      );
    }
    delete config[k];
  }
}

function normalizeDtype(ctx: Context, value: JsonValue | undefined, path: string): JsonValue | undefined {
  let name: unknown = value;
  if (isObject(value)) {
    const cls = value.class_name;
    if (typeof cls !== 'string')
      fail(path, `a dtype policy object must have a class_name (e.g. 'DTypePolicy'), received ${describe(cls)}.`);
    if (/Quantized/.test(cls)) {
      fail(
        path,
        `quantized dtype policy '${cls}' is not supported (quantized Keras weights cannot be loaded); save the model unquantized.`,
      );
    }
    if (!DTYPE_POLICY_CLASSES.includes(cls)) {
      fail(path, `unknown dtype policy class '${cls}'; expected one of ${DTYPE_POLICY_CLASSES.join(', ')}.`);
    }
    if (!isObject(value.config) || typeof value.config.name !== 'string') {
      fail(
        at(path, 'config.name'),
        `a dtype policy needs its name as a string (e.g. 'float32'), received ${describe(isObject(value.config) ? value.config.name : value.config)}.`,
      );
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

function normalizeActivation(ctx: Context, value: JsonValue | undefined, path: string): JsonValue | undefined {
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
export function clean(ctx: Context, value: JsonValue | undefined, path: string, key?: string): JsonValue | undefined {
  // No element of a JSON array is undefined (assertSafeJSON checked the input), so neither is one of the copy.
  if (Array.isArray(value)) return value.map((v, i) => clean(ctx, v, at(path, i), key)) as JsonValue[];
  if (!isObject(value)) return value;
  const isClassObject = typeof value.class_name === 'string';
  // Keras 3 serializes plain functions (losses, metrics, activations) as {class_name: 'function', config: 'name'}.
  if (isClassObject && value.class_name === 'function' && typeof value.config === 'string') return value.config;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    if (isClassObject && WRAPPER_KEYS.includes(k)) continue;
    const p = at(path, k);
    const v = value[k];
    if (k === 'dtype') out[k] = normalizeDtype(ctx, v, p);
    else if (ACTIVATION_KEYS.includes(k)) out[k] = normalizeActivation(ctx, v, p);
    else out[k] = clean(ctx, v, p, k);
  }
  if (isClassObject && key !== undefined) {
    const cls = out.class_name;
    if (key.endsWith('_initializer')) dropFanAxes(ctx, out, path);
    if (key.endsWith('_initializer') && typeof cls === 'string' && Object.prototype.hasOwnProperty.call(INITIALIZER_RENAMES, cls)) {
      out.class_name = INITIALIZER_RENAMES[cls];
    } else if (key.endsWith('_regularizer') && (out.class_name === 'L1' || out.class_name === 'L2')) {
      const c = asObject(out.config) ?? {};
      const l1 = out.class_name === 'L1' ? (c.l1 ?? 0.01) : 0;
      const l2 = out.class_name === 'L2' ? (c.l2 ?? 0.01) : 0;
      out.class_name = 'L1L2';
      out.config = { l1, l2 };
    }
  }
  return out;
}
