/** In-memory IO handlers: `fromMemory` (load) and `withSaveHandler` (save), as tfjs's passthrough handlers. */
import type { IOHandler, JSONObject, ModelArtifacts, SaveResult, TrainingConfig, WeightData, WeightsManifestEntry } from './types';
import { ValueError } from '@recurrent/core';

function isArtifacts(x: unknown): x is ModelArtifacts {
  return x !== null && typeof x === 'object' && ((x as ModelArtifacts).modelTopology != null || (x as ModelArtifacts).weightSpecs != null);
}

/**
 * A load handler returning artifacts already in memory. Takes ModelArtifacts, or (tfjs's older
 * form) a model topology plus optional weight specs, weight data and training config.
 *
 * ```js
 * const model = await loadLayersModel(io.fromMemory({modelTopology, weightSpecs, weightData}));
 * ```
 */
export function fromMemory(
  modelArtifactsOrTopology: ModelArtifacts | JSONObject,
  weightSpecs?: WeightsManifestEntry[],
  weightData?: WeightData,
  trainingConfig?: TrainingConfig,
): IOHandler {
  if (modelArtifactsOrTopology === null || typeof modelArtifactsOrTopology !== 'object') {
    throw new ValueError(`fromMemory: expected ModelArtifacts or a model topology object, received ${String(modelArtifactsOrTopology)}.`);
  }
  // tfjs note: tfjs warns on the multi-argument form (deprecated); recurrent accepts it silently.
  const artifacts: ModelArtifacts =
    weightSpecs === undefined && weightData === undefined && trainingConfig === undefined && isArtifacts(modelArtifactsOrTopology)
      ? modelArtifactsOrTopology
      : { modelTopology: modelArtifactsOrTopology as JSONObject, weightSpecs, weightData, trainingConfig };
  return { load: async () => artifacts };
}

/**
 * A save handler calling `saveHandler(artifacts)`; useful to capture what `model.save()` writes.
 *
 * ```js
 * let saved; await model.save(io.withSaveHandler(async (a) => { saved = a; return {modelArtifactsInfo: ...}; }));
 * ```
 */
export function withSaveHandler(saveHandler: (artifacts: ModelArtifacts) => Promise<SaveResult> | SaveResult): IOHandler {
  if (typeof saveHandler !== 'function') {
    throw new ValueError(`withSaveHandler: expected a function (artifacts) => SaveResult, received ${typeof saveHandler}.`);
  }
  return { save: async (artifacts: ModelArtifacts) => saveHandler(artifacts) };
}
