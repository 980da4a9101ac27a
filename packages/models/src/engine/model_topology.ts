/**
 * The Keras-form model topology (what `model.toJSON()` returns and model.json's `modelTopology` holds)
 * and the training config (`trainingConfig`: loss, metrics, optimizer), both as tfjs writes them.
 *
 * ```js
 * model.toJSON(null, false);
 * // {class_name: 'Sequential', config: {name: 'sequential', layers: [{class_name: 'LSTM', config: {units: 8, ...}}]},
 * //  keras_version: 'recurrent 0.1.0', backend: 'recurrent'}
 * ```
 *
 * tfjs note: tfjs writes keras_version 'tfjs-layers <version>' and backend 'TensorFlow.js'; neither is read back
 * by tfjs or recurrent.
 */
import { CORE_VERSION, NotImplementedError, ValueError } from '@recurrent/core';
import type { LossOrMetricFn } from '../losses/losses';
import { lossName } from '../losses/get_loss';
import { metricName } from '../metrics/get_metric';
import type { Optimizer } from '../optimizers/optimizer';
import type { CompiledState } from '../trainers/compile';
import { OPTIMIZER_CLASSES } from '../optimizers/train';
import { CLIP_KEYS } from '../optimizers/clip';
import { convertPythonicToTs, convertTsToPythonic, toCamelCase, toSnakeCase } from '../io/case_conversion';
import type { JSONObject, TrainingConfig } from '../io/types';

/** The library version written into model.json (one for all recurrent packages: scripts/version.js). */
export const RECURRENT_VERSION = CORE_VERSION;
/** `generatedBy` of the model.json files recurrent writes. */
export const GENERATED_BY = `recurrent v${RECURRENT_VERSION}`;
/** `keras_version` of the topologies recurrent writes. */
export const KERAS_VERSION = `recurrent ${RECURRENT_VERSION}`;
/** `backend` of the topologies recurrent writes. */
export const BACKEND_NAME = 'recurrent';

/** What `modelTopologyOf` needs from a model. */
export interface TopologySource {
  getClassName(): string;
  getConfig(): JSONObject;
  built: boolean;
  /** A Sequential's batch input shape, written into its first layer's config when missing (null for graph models). */
  readonly topologyInputShape: (number | null)[] | null;
}

/**
 * The tfjs-form (camelCase) topology `{className, config, kerasVersion, backend}` of a model. When the
 * model's input shape is known but its first layer was given none (the model was built by calling it),
 * the first layer's config gets `batchInputShape`, so the file can be loaded and its weights set.
 */
export function tsTopologyOf(model: TopologySource): JSONObject {
  const config = model.getConfig();
  const layers = Array.isArray(config.layers) ? config.layers : [];
  const inputShape = model.built ? model.topologyInputShape : null;
  if (inputShape && layers.length > 0) {
    const first = layers[0];
    if (first && first.config && first.config.batchInputShape == null) {
      first.config = { ...first.config, batchInputShape: inputShape.slice() };
    }
  }
  return { className: model.getClassName(), config, kerasVersion: KERAS_VERSION, backend: BACKEND_NAME };
}

/** The Keras-form (snake_case) topology of a model, as tfjs's `model.toJSON(null, false)`. */
export function modelTopologyOf(model: TopologySource): JSONObject {
  return convertTsToPythonic(tsTopologyOf(model)) as JSONObject;
}

// ---------------------------------------------------------------------------------------------
// Training config

/** The canonical (tfjs camelCase) name of a loss or metric identifier, for the training config. */
function identifierName(id: string | LossOrMetricFn, what: 'loss' | 'metric'): string {
  // A loss alias ('mse', 'mean_squared_error') is written as its tfjs name: tfjs's loss lookup knows no aliases,
  // so a file with loss 'mse' would not load there.
  if (typeof id === 'string') return what === 'loss' ? (lossName(id) ?? id) : id;
  if (typeof id === 'function') {
    if (what === 'loss') {
      const n = lossName(id);
      if (n !== undefined) return n;
      throw new NotImplementedError(
        `save: the model's loss is a custom function (${id.name || 'anonymous'}), which cannot be written into the training ` +
          `config (tfjs: "Serialization of non-string loss is not supported"); compile with a loss name, or save without includeOptimizer.`,
      );
    }
    return metricName(id);
  }
  throw new ValueError(`save: cannot serialize the ${what} ${String(id)}.`);
}

/** The training-config name of a loss: tfjs's canonical snake_case name ('mse' → 'mean_squared_error'), which tfjs reads back. */
function lossConfigName(id: string | LossOrMetricFn): string {
  return toSnakeCase(identifierName(id, 'loss'));
}

/**
 * The training config tfjs writes with `includeOptimizer`: `{loss: 'mean_squared_error', metrics: ['accuracy'],
 * optimizer_config: {class_name: 'Adam', config: {learningRate: 0.001, ...}}}` (loss and metric names snake_case;
 * the optimizer config keeps its camelCase keys, as tfjs). Several outputs: `loss` and `metrics` by output name
 * (a loss given once stays one name), `loss_weights` when not all 1, and `weighted_metrics` (as `metrics`) when
 * there are weighted metrics.
 */
export function trainingConfigFor(state: CompiledState, outputNames: string[]): TrainingConfig {
  const multi = outputNames.length > 1;
  const lossArg = state.lossArg;
  let loss: unknown;
  if (lossArg == null)
    loss = null; // compiled without a loss (Keras 3 writes None); the layers add theirs
  else if (typeof lossArg === 'string' || typeof lossArg === 'function') loss = lossConfigName(lossArg);
  else if (!multi) loss = lossConfigName(state.lossIds[0]);
  else {
    const dict: { [name: string]: string } = {};
    outputNames.forEach((n, i) => (dict[n] = lossConfigName(state.lossIds[i])));
    loss = dict;
  }
  // One list, or a dict by output name for several outputs.
  const metricsConfig = (ids: CompiledState['metricIds']): unknown => {
    const names = ids.map((list) => list.map((m) => toSnakeCase(identifierName(m, 'metric'))));
    return multi ? Object.fromEntries(outputNames.map((n, i) => [n, names[i]])) : (names[0] ?? []);
  };
  const config: TrainingConfig = {
    loss: loss as TrainingConfig['loss'],
    metrics: metricsConfig(state.metricIds) as TrainingConfig['metrics'],
    optimizer_config: { class_name: state.optimizer.getClassName(), config: state.optimizer.getConfig() },
  };
  if (state.lossWeights.some((w) => w !== 1)) (config as JSONObject).loss_weights = state.lossWeights.slice();
  // Keras's key; written only when there are weighted metrics (tfjs has none and writes no key).
  if (state.weightedMetricIds.some((ids) => ids.length > 0))
    (config as JSONObject).weighted_metrics = metricsConfig(state.weightedMetricIds);
  return config;
}

/** Keras spells some optimizer classes differently ('RMSprop'); matched case-insensitively. */
function optimizerClass(name: string): { className: string; fromConfig(cls: unknown, config: JSONObject): Optimizer } | undefined {
  if (Object.prototype.hasOwnProperty.call(OPTIMIZER_CLASSES, name)) return OPTIMIZER_CLASSES[name];
  const key = Object.keys(OPTIMIZER_CLASSES).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : OPTIMIZER_CLASSES[key];
}

/** Rebuilds an optimizer from a training config's `optimizer_config` (`{class_name, config}`). */
export function optimizerFromConfig(fn: string, optimizerConfig: unknown): Optimizer {
  if (optimizerConfig === null || typeof optimizerConfig !== 'object' || Array.isArray(optimizerConfig)) {
    throw new ValueError(
      `${fn}: trainingConfig.optimizer_config must be an object {class_name, config}, received ${JSON.stringify(optimizerConfig)?.slice(0, 100)}.`,
    );
  }
  const ts = convertPythonicToTs(optimizerConfig) as JSONObject;
  const name = ts.className;
  if (typeof name !== 'string') throw new ValueError(`${fn}: trainingConfig.optimizer_config has no class_name.`);
  const cls = optimizerClass(name);
  if (!cls) {
    throw new ValueError(
      `${fn}: unknown optimizer class '${name}' in the training config; known: ${Object.keys(OPTIMIZER_CLASSES).join(', ')}.`,
    );
  }
  const raw: JSONObject = ts.config && typeof ts.config === 'object' ? ts.config : {};
  const config: JSONObject = {};
  // The keys the optimizers read: every class's `configKeys`, Keras's aliases `lr` and `nesterov`, the clip options
  // (Keras's others, e.g. name, amsgrad false, are ignored).
  const classKeys = Object.values(OPTIMIZER_CLASSES).flatMap((c: { configKeys: readonly string[] }) => c.configKeys);
  for (const key of new Set([...classKeys, 'lr', 'nesterov', ...CLIP_KEYS])) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    // A learning-rate schedule ({className, config}) is rebuilt by the optimizer.
    if (
      (key === 'learningRate' || key === 'lr') &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof (v as JSONObject).className === 'string'
    ) {
      config[key] = v;
      continue;
    }
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ValueError(`${fn}: optimizer ${name}: '${key}' must be a number, received ${JSON.stringify(v)?.slice(0, 60)}.`);
    }
    config[key] = v;
  }
  const classKeysOf = (c: { configKeys?: readonly string[] }) => c.configKeys ?? [];
  const target = cls.className === 'SGD' && typeof config.momentum === 'number' && config.momentum !== 0 ? OPTIMIZER_CLASSES.Momentum : cls;
  // Keras's RMSprop writes its moving-average factor as 'rho' (tfjs and recurrent call it 'decay'); Keras 2 also
  // wrote 'decay' beside it, meaning its learning-rate time decay.
  const kerasRho = cls.className === 'RMSProp' && typeof raw.rho === 'number';
  if (kerasRho) config.decay = raw.rho;
  // Keras options no optimizer here has: refused (compile then fails with this message) rather than silently dropped,
  // which would train differently from Keras.
  const unsupported: [string, string, boolean][] = [
    ['amsgrad', 'amsgrad', raw.amsgrad === true],
    ['weightDecay', 'weight_decay', raw.weightDecay != null && raw.weightDecay !== 0 && !classKeysOf(target).includes('weightDecay')],
    ['useEma', 'use_ema', raw.useEma === true],
    [
      'gradientAccumulationSteps',
      'gradient_accumulation_steps',
      raw.gradientAccumulationSteps != null && raw.gradientAccumulationSteps !== 1,
    ],
    ['decay', 'decay', typeof raw.decay === 'number' && raw.decay !== 0 && (kerasRho || !classKeysOf(target).includes('decay'))],
  ];
  for (const [key, kerasKey, bad] of unsupported) {
    if (bad) {
      throw new NotImplementedError(
        `${fn}: optimizer ${name}: '${kerasKey}' ${JSON.stringify(raw[key])} is not supported (the update would differ from Keras's); ` +
          `recompile with an optimizer of train.`,
      );
    }
  }
  if (config.learningRate === undefined && config.lr !== undefined) config.learningRate = config.lr;
  delete config.lr;
  if (config.useNesterov === undefined && config.nesterov !== undefined) config.useNesterov = config.nesterov;
  delete config.nesterov;
  // Keras's SGD carries momentum; a nonzero momentum needs recurrent's Momentum optimizer.
  if (target !== cls) return target.fromConfig(target, config);
  try {
    return cls.fromConfig(cls, config);
  } catch (e) {
    throw new ValueError(`${fn}: cannot create optimizer ${name} from the training config: ${(e as Error).message}`);
  }
}

/**
 * compile() args from a training config (tfjs's `loadTrainingConfig`): names camelCased (a name, a list per output
 * or a dict by output name), `loss_weights`, metrics, Keras's `weighted_metrics`, optimizer rebuilt.
 */
export function compileArgsFromTrainingConfig(
  fn: string,
  trainingConfig: TrainingConfig,
): {
  optimizer: Optimizer;
  loss: string | string[] | { [output: string]: string } | null;
  metrics: string[] | { [output: string]: string[] };
  weightedMetrics?: string[] | { [output: string]: string[] };
  lossWeights?: number[] | { [output: string]: number };
} {
  if (trainingConfig === null || typeof trainingConfig !== 'object' || Array.isArray(trainingConfig)) {
    throw new ValueError(`${fn}: trainingConfig must be an object, received ${JSON.stringify(trainingConfig)?.slice(0, 100)}.`);
  }
  if (trainingConfig.sample_weight_mode != null)
    throw new NotImplementedError(`${fn}: the training config has 'sample_weight_mode', which is not supported (as in tfjs).`);
  const name = (v: unknown, what: string): string => {
    if (typeof v === 'string') return toCamelCase(v);
    throw new ValueError(
      `${fn}: the training config's ${what} must be a name (e.g. 'mean_squared_error'), received ${JSON.stringify(v)?.slice(0, 100)}.`,
    );
  };
  const isDict = (v: unknown): v is { [k: string]: unknown } => v !== null && typeof v === 'object' && !Array.isArray(v);
  const rawLoss = trainingConfig.loss as unknown;
  let loss: string | string[] | { [output: string]: string } | null;
  if (rawLoss == null)
    loss = null; // compiled without a loss: the layers add theirs (Keras 3 writes None)
  else if (Array.isArray(rawLoss)) loss = rawLoss.length === 1 ? name(rawLoss[0], 'loss') : rawLoss.map((x) => name(x, 'loss'));
  else if (isDict(rawLoss)) {
    const d: { [output: string]: string } = {};
    for (const k of Object.keys(rawLoss)) d[k] = name(rawLoss[k], 'loss');
    loss = d;
  } else loss = name(rawLoss, 'loss');
  // `metrics` and `weighted_metrics`: one name, a list, or a dict by output name of names or lists.
  const metricsOf = (m: unknown, what: string): string[] | { [output: string]: string[] } => {
    if (Array.isArray(m)) return m.map((x) => name(x, what));
    if (isDict(m)) {
      const d: { [output: string]: string[] } = {};
      for (const k of Object.keys(m)) d[k] = (Array.isArray(m[k]) ? (m[k] as unknown[]) : [m[k]]).map((x) => name(x, what));
      return d;
    }
    return m != null ? [name(m, what)] : [];
  };
  const metrics = metricsOf(trainingConfig.metrics, 'metrics');
  const optimizer = optimizerFromConfig(fn, trainingConfig.optimizer_config);
  const out: ReturnType<typeof compileArgsFromTrainingConfig> = { optimizer, loss, metrics };
  if (trainingConfig.weighted_metrics != null) out.weightedMetrics = metricsOf(trainingConfig.weighted_metrics, 'weighted_metrics');
  const lw = (trainingConfig as JSONObject).loss_weights;
  if (lw != null) {
    if (Array.isArray(lw) ? lw.every((w) => typeof w === 'number') : isDict(lw) && Object.values(lw).every((w) => typeof w === 'number')) {
      out.lossWeights = lw as number[] | { [output: string]: number };
    } else {
      throw new ValueError(
        `${fn}: the training config's loss_weights must be numbers (a list or a dict by output), received ${JSON.stringify(lw)?.slice(0, 100)}.`,
      );
    }
  }
  return out;
}
