/**
 * `model.save(urlOrHandler, config)`: the model as tfjs's layers-model artifacts — the Keras-form topology,
 * every weight under its tfjs name (trainable weights in layer order, then non-trainable ones) in tfjs's binary
 * layout, and with `includeOptimizer` the training config and the optimizer's state (`optimizer.getWeights()` for the
 * model's trainable weights: `iter`, then e.g. Adam's `<weight>/m`, `<weight>/v`, as tfjs writes them: after the model's
 * weights, in the same data, their specs with group 'optimizer'), so training resumes where it stopped after
 * `loadLayersModel` — handed to an IO handler (`file://`, `http(s)://`, `localstorage://`, `indexeddb://`,
 * `downloads://`, `io.withSaveHandler(...)`, ...).
 *
 * tfjs note: tfjs 4.22's Adamax has no getWeights/setWeights, so tfjs cannot save an Adamax model with
 * `includeOptimizer` and its loadLayersModel refuses such a file from recurrent ("setWeights() is not implemented for
 * Adamax"); recurrent writes and restores Adamax's state (save without `includeOptimizer` for tfjs). AdamW and Nadam
 * files never loaded in tfjs (it has neither class). With `includeOptimizer`, a model compiled with `weightedMetrics` or
 * with `lossWeights` not all 1 writes Keras's `weighted_metrics` / `loss_weights` in the training config (recurrent
 * reads them back); tfjs 4.22's loadLayersModel refuses such a file ("Loading weight_metrics is not supported yet.",
 * "Loading loss_weights ..."): for tfjs, save without `includeOptimizer` or compile without them.
 */
import { checkArgKeys } from '@recurrent/layers';
import type { LayerVariable } from '@recurrent/layers';
import { resolveHandler } from '../io/router_registry';
import { concatenateArrayBuffers, encodeWeights } from '../io/weights';
import type { IOHandler, ModelArtifacts, SaveResult, TrainingConfig } from '../io/types';
import { GENERATED_BY, modelTopologyOf, TopologySource } from './model_topology';
import { ValueError } from '@recurrent/core';
import type { Optimizer } from '../optimizers/optimizer';
import { optimizerWeights } from '../optimizers/optimizer_weights';

/** Options of `model.save` (tfjs `SaveConfig`). */
export interface SaveConfig {
  /** Save only the trainable weights (default false). */
  trainableOnly?: boolean;
  /**
   * Also save the training config (loss, metrics, optimizer) and the optimizer's state, so the loaded model is compiled
   * and its training continues exactly (default false).
   */
  includeOptimizer?: boolean;
}

/** What `saveModel` needs from a model (a Sequential). */
export interface SavableModel extends TopologySource {
  readonly name: string;
  readonly weights: LayerVariable[];
  readonly trainableWeights: LayerVariable[];
  readonly compiled: boolean;
  readonly optimizer: Optimizer;
  getTrainingConfig(): TrainingConfig;
}

const SAVE_CONFIG_KEYS = ['trainableOnly', 'includeOptimizer'];

/** The model's artifacts (what a save handler receives). */
export function modelArtifactsOf(model: SavableModel, config: SaveConfig = {}): ModelArtifacts {
  const fn = 'save';
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ValueError(`${fn}: config must be an object {includeOptimizer?, trainableOnly?}, received ${String(config)}.`);
  }
  checkArgKeys(fn, config, SAVE_CONFIG_KEYS);
  if (!model.built) {
    throw new ValueError(
      `${fn}: model ${model.name} is not built, so it has no weights to save; give the first layer an inputShape ` +
        `(or batchInputShape), or call the model on data first.`,
    );
  }
  const variables = config.trainableOnly ? model.trainableWeights : model.weights;
  const seen = new Map<string, number>();
  variables.forEach((v, i) => {
    const prev = seen.get(v.originalName);
    if (prev !== undefined) {
      throw new ValueError(
        `${fn}: weights ${prev} and ${i} of model ${model.name} share the name '${v.originalName}'; weight names must be unique in a file.`,
      );
    }
    seen.set(v.originalName, i);
  });
  const { data, specs } = encodeWeights(variables.map((v) => ({ name: v.originalName, tensor: v })));
  const artifacts: ModelArtifacts = {
    modelTopology: modelTopologyOf(model),
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
  if (config.includeOptimizer) {
    if (!model.compiled) {
      throw new ValueError(
        `${fn}: includeOptimizer needs a compiled model; call model.compile({optimizer, loss}) first, or save without it.`,
      );
    }
    artifacts.trainingConfig = model.getTrainingConfig();
    const optimizer = encodeWeights(optimizerWeights(model.optimizer, model.trainableWeights), 'optimizer');
    artifacts.weightSpecs = [...specs, ...optimizer.specs];
    artifacts.weightData = concatenateArrayBuffers([data, optimizer.data]);
  }
  return artifacts;
}

/** Saves `model` through `handlerOrURL` (a URL string routed to its handler, or an IOHandler with `save`). */
export async function saveModel(model: SavableModel, handlerOrURL: IOHandler | string, config: SaveConfig = {}): Promise<SaveResult> {
  let handler: IOHandler;
  if (typeof handlerOrURL === 'string') {
    handler = resolveHandler('save', handlerOrURL);
  } else if (handlerOrURL !== null && typeof handlerOrURL === 'object') {
    handler = handlerOrURL;
  } else {
    throw new ValueError(
      `save: expected a URL string ('file://...', 'localstorage://...', ...) or an IOHandler, received ${String(handlerOrURL)}.`,
    );
  }
  if (typeof handler.save !== 'function') {
    throw new ValueError('save: the IOHandler has no save method (it may be a load-only handler such as io.fromMemory).');
  }
  const artifacts = modelArtifactsOf(model, config ?? {});
  return handler.save(artifacts);
}
