/**
 * `loadLayersModel(urlOrHandler, options)`: a model (Sequential or functional) from tfjs layers-model artifacts (model.json +
 * weights written by tfjs, by recurrent, or converted from Keras), as tfjs's `tf.loadLayersModel`.
 *
 * Steps: load the artifacts through the IO handler → check the topology (safe keys) → Keras
 * compatibility pre-processing → snake_case → camelCase → rebuild each layer by class name through the registry
 * (custom classes: `serialization.registerClass(MyLayer)` first) → connect them (a Sequential stack, or a functional
 * graph's inbound nodes; nested models too) →
 * decode the weights (validated before allocation) → match them to the variables by name (`matchWeights`) →
 * assign → compile from the training config, if any, and restore the optimizer's state from the file's optimizer
 * weights (group 'optimizer', tfjs's layout: by position over the trainable weights, as tfjs's `setWeights`).
 *
 * Every error is an Error whose message starts with 'loadLayersModel: ' and says where it happened (the layer,
 * the weight). A failed load never returns a model: whatever was built is disposed before the error is thrown.
 *
 * ```js
 * const model = await loadLayersModel('file://./my-model/model.json');
 * model.predict(x);
 * const {missing, extra} = (await loadLayersModel(url, {strict: false})).loadReport;
 * ```
 */
import { LoadError, ready } from '@recurrent/core';
import { BUILTINS, importBuiltinLayers, knownLayerClassNames, registeredClassNames, suggestName } from '@recurrent/layers';
import type { BuiltinClasses, Layer } from '@recurrent/layers';
import { convertPythonicToTs } from '../io/case_conversion';
import { assertSafeJSON, describeJsonValue, isPlainObject } from '../io/model_json';
import type { IOHandler, JSONObject, LoadOptions, ModelArtifacts, TrainingConfig } from '../io/types';
import { applyKerasWeightTransforms, normalizeKerasTopology } from '../io/keras_compat';
import type { NormalizedKerasTopology } from '../io/keras_compat';
import { buildUnderLoadPolicy, checkDeclaredWeightTotal } from '../io/load_guard';
import { compileArgsFromTrainingConfig } from './model_topology';
import type { LayersModel } from './layers_model';
import { connectFunctional } from './functional_from_config';
import { classNamesIn, hasFunctionalModel, messageOf, modelFromTopology, topologyLayerConfigs } from './model_from_topology';
import type { LayerClassSource } from './model_from_topology';
import type { setOptimizerWeights } from '../optimizers/optimizer_weights';
import { FN, loadError, loadStep } from './load_error';
import { assignWeights, decodeArtifactWeights, type DecodedWeights } from './load_weights';

/** What restores a file's optimizer weights (imported by `loadLayersModel` only for a file that has some to restore). */
type RestoreOptimizer = typeof setOptimizerWeights;

/** Options of `loadLayersModel` (tfjs `LoadOptions`). */
export interface LoadLayersModelOptions extends LoadOptions {
  /**
   * true (default, as tfjs): every variable must get a weight of its shape and every file weight must be used,
   * else the load throws listing the names. false: mismatches are reported in `model.loadReport` instead.
   */
  strict?: boolean;
  /**
   * Pair weights whose names match no variable with the unmatched variables by position (Keras's by-order
   * loading) when their counts and shapes agree. Default false: such weights are refused (strict) or reported
   * as missing/extra. Positional matches are listed in `loadReport.matched` (match 'position') and warned about.
   * tfjs note: tfjs has no positional matching; it refuses such files.
   */
  allowPositional?: boolean;
}

const OPTION_KEYS = ['strict', 'allowPositional', 'fetchFunc', 'requestInit', 'weightPathPrefix', 'weightUrlConverter', 'onProgress'];

/** Config keys whose values size weights: checked against the file's weights before anything is built. */
const WEIGHT_SIZE_KEYS = ['units', 'inputDim', 'outputDim'];
/** Bound of weight-sizing config values when the file has no weights (topology only). */
const MAX_DIM_WITHOUT_WEIGHTS = 65536;
/** Bound of any dimension of a batch input shape. */
const MAX_INPUT_DIM = 2 ** 24;

/**
 * Refuses configs that would allocate absurd weights before any layer is built: `units`, `inputDim`, `outputDim`
 * (anywhere in a layer's config, including wrapped layers and cells) at most `limit`, batch input shapes of
 * non-negative integers at most 2^24.
 */
function checkConfigSizes(layers: JSONObject[], limit: number, why: string): void {
  const visit = (node: unknown, path: string, layerLabel: string): void => {
    const stack: Array<[unknown, string]> = [[node, path]];
    while (stack.length > 0) {
      const [x, p] = stack.pop()!;
      if (Array.isArray(x)) {
        x.forEach((v, i) => stack.push([v, `${p}[${i}]`]));
        continue;
      }
      if (!isPlainObject(x)) continue;
      for (const key of Object.keys(x)) {
        const v = x[key];
        const here = `${p}.${key}`;
        if (WEIGHT_SIZE_KEYS.includes(key) && typeof v === 'number' && v > limit) {
          throw loadError(`${layerLabel}: ${here} is ${v}, larger than ${limit} (${why}); refusing to build it.`);
        }
        if ((key === 'batchInputShape' || key === 'inputShape') && Array.isArray(v)) {
          v.forEach((d, i) => {
            if (d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_INPUT_DIM)) {
              throw loadError(
                `${layerLabel}: ${here}[${i}] must be null or an integer in [0, ${MAX_INPUT_DIM}], received ${JSON.stringify(d)?.slice(0, 40)}.`,
              );
            }
          });
        }
        if (v !== null && typeof v === 'object') stack.push([v, here]);
      }
    }
  };
  layers.forEach((l, i) => visit(l.config, 'config', `layer ${i} (${String(l.className)})`));
}

/**
 * Builds the model from artifacts already in memory (the synchronous part of `loadLayersModel`), without restoring
 * the optimizer state (its weights are reported as skipped).
 * @internal exported for tests; use `loadLayersModel(io.fromMemory(artifacts))`.
 */
export function modelFromArtifacts(artifacts: ModelArtifacts, options: { strict?: boolean; allowPositional?: boolean } = {}): LayersModel {
  return buildPrepared(prepareArtifacts(artifacts, options), EVERY_LAYER_CLASS, null);
}

/** Every built-in layer class, for the synchronous `modelFromArtifacts`. */
const EVERY_LAYER_CLASS: LayerClassSource = { builtins: BUILTINS, knownNames: () => registeredClassNames('layer'), connectFunctional };

/** What `prepareArtifacts` checked and decoded, before any layer is created. */
interface PreparedArtifacts {
  strict: boolean;
  allowPositional: boolean;
  /** The topology, Keras-normalized and camelCase. */
  ts: JSONObject;
  weights: DecodedWeights | null;
  keras: NormalizedKerasTopology;
  trainingConfig: TrainingConfig | JSONObject | null | undefined;
}

/** Checks the options and artifacts, normalizes the topology and decodes the weights (no layer is created yet). */
function prepareArtifacts(artifacts: ModelArtifacts, options: { strict?: boolean; allowPositional?: boolean }): PreparedArtifacts {
  const boolOption = (name: 'strict' | 'allowPositional', fallback: boolean): boolean => {
    const v = options[name] ?? fallback;
    if (typeof v !== 'boolean') throw loadError(`options.${name} must be true or false, received ${describeJsonValue(v)}.`);
    return v;
  };
  const strict = boolOption('strict', true);
  const allowPositional = boolOption('allowPositional', false);
  if (!isPlainObject(artifacts)) throw loadError(`the IO handler returned ${describeJsonValue(artifacts)} instead of model artifacts.`);
  if (artifacts.format === 'graph-model' || artifacts.modelTopology instanceof ArrayBuffer) {
    throw loadError("the file is a tfjs graph model (format 'graph-model'); recurrent loads layers models (format 'layers-model').");
  }
  const topology: unknown = artifacts.modelTopology;
  if (!isPlainObject(topology)) {
    throw loadError(
      `modelTopology must be an object (the Keras model config), received ${topology === undefined ? 'nothing' : describeJsonValue(topology)}.`,
    );
  }
  loadStep(() => {
    assertSafeJSON(FN, topology, 'modelTopology');
    if (artifacts.trainingConfig != null) assertSafeJSON(FN, artifacts.trainingConfig, 'trainingConfig');
  });
  // Keras compatibility (io/keras_compat.ts): the converter's {model_config, training_config} wrapper, Keras 3
  // forms, InputLayer / batch_shape, CuDNN classes (with their weight rewrites), hard_sigmoid by Keras version.
  const keras = loadStep(() =>
    normalizeKerasTopology(topology, Array.isArray(artifacts.weightSpecs) ? artifacts.weightSpecs : null, {
      generatedBy: typeof artifacts.generatedBy === 'string' ? artifacts.generatedBy : null,
    }),
  );
  const trainingConfig = artifacts.trainingConfig ?? keras.trainingConfig;

  const ts = loadStep(() => convertPythonicToTs(keras.topology) as JSONObject);
  if (!isPlainObject(ts)) throw loadError(`modelTopology must be an object, received ${describeJsonValue(ts)}.`);
  const layerConfigs = topologyLayerConfigs(ts);

  // Weights first: validated (and bounded by the bytes actually present) before any layer allocates.
  const declared = loadStep(() => checkDeclaredWeightTotal(FN, artifacts.weightSpecs));
  const weights = decodeArtifactWeights(artifacts, declared);
  if (weights !== null && Object.keys(keras.weightTransforms).length > 0) {
    weights.modelWeights = loadStep(() => applyKerasWeightTransforms(weights.modelWeights, keras.weightTransforms));
  }
  if (weights !== null) {
    checkConfigSizes(layerConfigs, Math.max(weights.totalElements, 1), `the file's weights have ${weights.totalElements} values in all`);
  } else {
    checkConfigSizes(layerConfigs, MAX_DIM_WITHOUT_WEIGHTS, 'the limit for files without weights');
  }
  return { strict, allowPositional, ts, weights, keras, trainingConfig };
}

/**
 * Creates the model of prepared artifacts with the layer classes of `classes`, and sets its weights (and, with
 * `restoreOptimizer`, its optimizer's state).
 */
function buildPrepared(prepared: PreparedArtifacts, classes: LayerClassSource, restoreOptimizer: RestoreOptimizer | null): LayersModel {
  const { strict, allowPositional, ts, weights, keras, trainingConfig } = prepared;
  const created: Layer[] = [];
  let model: LayersModel | null = null;
  try {
    // Weight creation bounded by what the file can fill, initializers skipped when every value is replaced (io/load_guard.ts).
    model = buildUnderLoadPolicy(strict, weights === null ? null : weights.totalElements, () =>
      modelFromTopology(ts, created, loadError, classes),
    );
    if (!model.built && model.weights.length === 0 && weights !== null && weights.specs.length > 0) {
      throw loadError(
        "the model's input shape is unknown (the first layer's config has no batch_input_shape), so its weights cannot " +
          'be created and set; add batch_input_shape to the first layer of the topology.',
      );
    }
    const report = assignWeights(model, weights, strict, allowPositional);

    report.warnings.push(...keras.warnings);
    if (trainingConfig != null) {
      try {
        model.compile(compileArgsFromTrainingConfig(FN, trainingConfig));
        report.compiled = true;
      } catch (e) {
        const msg = `cannot compile the model from the file's training config: ${messageOf(e).replace(/^loadLayersModel: /, '')}`;
        if (strict) throw loadError(msg, e);
        report.warnings.push(msg);
      }
    }
    // The optimizer's state, as tfjs's loadLayersModel: only into an optimizer made from the file's training config.
    if (restoreOptimizer !== null && report.compiled && weights !== null && weights.optimizer.length > 0) {
      try {
        restoreOptimizer(model.optimizer, weights.optimizer, model.trainableWeights);
        report.skippedOptimizerWeights = [];
      } catch (e) {
        const msg = `cannot restore the optimizer state from the file's optimizer weights: ${messageOf(e)}`;
        if (strict) throw loadError(msg, e);
        report.warnings.push(`${msg} The optimizer starts afresh.`);
      }
    }
    model.loadReport = report;
    return model;
  } catch (e) {
    // Never hand back (or leave registered) a half-built model.
    for (const l of model === null ? created : [model, ...created]) {
      try {
        l.dispose();
      } catch {
        // disposal is best effort
      }
    }
    if ((e instanceof LoadError || (e instanceof Error && e.constructor === Error)) && e.message.startsWith(`${FN}: `)) throw e;
    throw loadError(`unexpected failure while building the model: ${messageOf(e)}`, e);
  }
}

/**
 * Loads a model (Sequential or functional, tfjs `Model` / Keras `Functional`) saved by tfjs, Keras (converted) or recurrent (tfjs's `tf.loadLayersModel`). `pathOrIOHandler` is a URL
 * (`file://path/model.json` in Node, `http(s)://.../model.json`, `localstorage://name`, `indexeddb://name`) or an
 * IOHandler (`io.fromMemory(artifacts)`, `io.browserFiles([json, weights])`, your own `{load}`).
 *
 * The model is ready to predict; it is compiled when the file has a training config (saved with
 * `includeOptimizer: true`), its optimizer holding the file's optimizer state (tfjs's `optimizer.setWeights`).
 * `model.loadReport` tells which weights were matched and how. The backend's wasm module has loaded (or failed to)
 * when the promise resolves (`ready({threads: false})`).
 */
export async function loadLayersModel(pathOrIOHandler: string | IOHandler, options: LoadLayersModelOptions = {}): Promise<LayersModel> {
  options = options ?? {};
  if (!isPlainObject(options)) throw loadError(`options must be an object, received ${describeJsonValue(options)}.`);
  for (const k of Object.keys(options)) {
    if (OPTION_KEYS.includes(k)) continue;
    const s = suggestName(k, OPTION_KEYS);
    throw loadError(`unknown option '${k}'${s ? `; did you mean '${s}'?` : ';'} Known options: ${OPTION_KEYS.join(', ')}.`);
  }
  let handler: IOHandler;
  if (typeof pathOrIOHandler === 'string') {
    try {
      // The URL routers and their handlers are imported for a URL only (an IOHandler needs none of them).
      const { resolveHandler } = await import('../io/router_registry');
      handler = resolveHandler('load', pathOrIOHandler, options);
    } catch (e) {
      throw loadError(messageOf(e), e);
    }
  } else if (pathOrIOHandler !== null && typeof pathOrIOHandler === 'object') {
    handler = pathOrIOHandler;
  } else {
    throw loadError(`expected a URL string or an IOHandler, received ${describeJsonValue(pathOrIOHandler)}.`);
  }
  if (typeof handler.load !== 'function') {
    throw loadError('the IOHandler has no load method (it may be a save-only handler such as io.withSaveHandler).');
  }
  // The backend's module loads while the file does (the browser ESM build fetches it on first use and compiles
  // it asynchronously), so the loaded model's first predict already runs on it. Worker threads are not started
  // here: they start (their code imported) on the first kernel large enough to use them, or on `ready()`.
  const backend = ready({ threads: false });
  let artifacts: ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (e) {
    throw loadError(messageOf(e), e);
  }
  const prepared = prepareArtifacts(artifacts, { strict: options.strict, allowPositional: options.allowPositional });
  // Only the built-in layer classes the file names are imported (bundlers put each in its own chunk), and the
  // functional model code only for a file with a functional model.
  const classNames = classNamesIn(prepared.ts);
  let builtins: BuiltinClasses;
  let functional: LayerClassSource['connectFunctional'] = null;
  let restoreOptimizer: RestoreOptimizer | null = null;
  try {
    builtins = await importBuiltinLayers(classNames);
    if (hasFunctionalModel(classNames)) functional = (await import('./functional_from_config')).connectFunctional;
    if (prepared.trainingConfig != null && (prepared.weights?.optimizer.length ?? 0) > 0) {
      restoreOptimizer = (await import('../optimizers/optimizer_weights')).setOptimizerWeights;
    }
  } catch (e) {
    throw loadError(`cannot import the layer classes of the model: ${messageOf(e)}`, e);
  }
  const model = buildPrepared(prepared, { builtins, knownNames: knownLayerClassNames, connectFunctional: functional }, restoreOptimizer);
  await backend;
  return model;
}
