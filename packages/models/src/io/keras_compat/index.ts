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
 * - `batch_shape` on any layer → `batch_input_shape` (tfjs rejects `batch_shape`); an InputLayer's Keras 3
 *   `optional: false` is dropped (`optional: true` is refused);
 * - Keras 3.12+ initializer `input_axes` / `output_axes` are dropped (a warning when set: fans come from the shape);
 * - LayerNormalization `rms_scaling: false` is dropped (true, deprecated in Keras, is refused);
 * - recurrent layers: `time_major: false` and `use_cudnn` are dropped, `zero_output_for_mask` is kept when true
 *   (masked steps output zeros, as Keras) and dropped when false (`time_major: true` is refused);
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
 *
 * Files: this one holds the entry points; `clean.ts` (wrappers, dtype policies, activations, class names),
 * `versions.ts` (which Keras wrote the file), `sequential.ts`, `layers.ts` (one layer entry, wrapper
 * nesting and weight-name prefixes), `recurrent_config.ts`, `batch_norm.ts`, `cudnn.ts`, `shapes.ts`,
 * `util.ts` (messages, paths), `types.ts`, `json.ts` (the JSON value type and narrowing helpers).
 */
import { Tensor, ValueError } from '@recurrent/core';
import { assertSafeJSON } from '../model_json';
import type { WeightsManifestConfig, WeightsManifestEntry } from '../types';
import { clean } from './clean';
import { normalizeLayer } from './layers';
import { normalizeSequential } from './sequential';
import type { Context, KerasWeightTransform, NormalizeKerasOptions, NormalizedKerasTopology } from './types';
import { at, describe, fail, FN, layerName } from './util';
import { checkVersionLength, hasKeras3Forms, isTfjsVersion, parseVersion } from './versions';
import { isObject, type JsonObject, type JsonValue } from './json';

export type { KerasWeightTransform, NormalizeKerasOptions, NormalizedKerasTopology } from './types';
export { cudnnKernelToKeras } from './cudnn';

function specsOf(weightSpecs: unknown): WeightsManifestEntry[] | null {
  if (weightSpecs == null) return null;
  if (!Array.isArray(weightSpecs))
    fail('weightSpecs', `must be an array of weight specs (or a weights manifest), received ${describe(weightSpecs)}.`);
  const out: WeightsManifestEntry[] = [];
  weightSpecs.forEach((s: unknown, i: number) => {
    if (isObject(s) && Array.isArray(s.weights) && s.name === undefined) {
      // A manifest group: its entries are taken as they are (as the decoder takes them).
      out.push(...(s as unknown as WeightsManifestConfig[number]).weights);
    } else {
      if (!isObject(s) || typeof s.name !== 'string' || !Array.isArray(s.shape)) {
        fail(`weightSpecs[${i}]`, `must be a weight spec {name, shape, dtype}, received ${describe(s)}.`);
      }
      out.push(s as unknown as WeightsManifestEntry); // name and shape checked above
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

  let model: JsonObject = modelTopology;
  let trainingConfigRaw: JsonValue | undefined = null;
  let versionField: unknown = modelTopology.keras_version;
  let backend: JsonValue | undefined = modelTopology.backend;
  let modelPath = '';
  if (modelTopology.model_config !== undefined) {
    if (!isObject(modelTopology.model_config)) {
      fail(
        'model_config',
        `must be an object {class_name, config} (the converter's model wrapper), received ${describe(modelTopology.model_config)}.`,
      );
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
    if (kerasVersion === null)
      fail('options.kerasVersion', `must be a version string like '3.3.3', received ${describe(options.kerasVersion)}.`);
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
  const cleaned = clean(ctx, model, modelPath);
  // Only {class_name: 'function', config: '...'} cleans to something else than an object.
  if (!isObject(cleaned))
    return fail(at(modelPath, 'class_name'), `must be the model's class name (e.g. 'Sequential'), received 'function'.`);
  delete cleaned.keras_version;
  delete cleaned.backend;
  let topology: JsonObject;
  if (cleaned.class_name === 'Sequential') {
    topology = normalizeSequential(ctx, cleaned, modelPath, normalizeLayer);
  } else {
    // Functional models: layer configs are normalized in place; the graph is left to the loader.
    topology = { ...cleaned };
    if (isObject(cleaned.config) && Array.isArray(cleaned.config.layers)) {
      topology.config = {
        ...cleaned.config,
        layers: cleaned.config.layers.map((l: JsonValue, i: number) => {
          const p = at(modelPath, `config.layers[${i}]`);
          if (!isObject(l)) fail(p, `a layer must be an object {class_name, config}, received ${describe(l)}.`);
          return normalizeLayer(ctx, l, p, [[layerName(l)]]);
        }),
      };
    }
  }
  if (typeof versionField === 'string') topology.keras_version = versionField;
  if (typeof backend === 'string') topology.backend = backend;

  const trainingConfig = trainingConfigRaw === null ? null : clean(ctx, trainingConfigRaw, 'training_config');
  return {
    topology,
    weightTransforms: ctx.weightTransforms,
    // A training config serialized as a bare function ({class_name: 'function', ...}) is not one: null.
    trainingConfig: isObject(trainingConfig) ? trainingConfig : null,
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
      throw new ValueError(`applyKerasWeightTransforms: the weights have no '${name}' (${transforms[name].description}).`);
    }
    const values = t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync());
    const r = transforms[name].apply(values, t.shape.slice());
    out[name] = new Tensor(r.values, r.shape, 'float32');
  }
  return out;
}
