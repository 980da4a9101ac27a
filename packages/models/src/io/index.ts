/**
 * Model IO: the tfjs layers-model format (model.json + binary weights) and the handlers that move
 * it, gathered in the `io` namespace like tfjs's `tf.io`.
 */
import type * as IOTypes from './types';
import { arrayBufferToBase64String, base64StringToArrayBuffer } from './base64';
import { browserDownloads, browserFiles } from './browser_files';
import { convertPythonicToTs, convertTsToPythonic } from './case_conversion';
import { fileSystem } from './file_system';
import { browserHTTPRequest, http, isHTTPScheme } from './http';
import { browserIndexedDB, indexedDBManager } from './indexed_db';
import { browserLocalStorage, localStorageManager } from './local_storage';
import { copyModel, listModels, moveModel, registerModelStoreManager, removeModel } from './model_management';
import {
  getModelArtifactsForJSON,
  getModelArtifactsForJSONSync,
  getModelArtifactsInfoForJSON,
  getModelJSONForModelArtifacts,
  parseModelJSON,
  validateModelJSON,
  validateWeightsManifest,
} from './model_json';
import { fromMemory, withSaveHandler } from './passthrough';
import { getLoadHandlers, getSaveHandlers, registerLoadRouter, registerSaveRouter, resolveHandler } from './router_registry';
import { matchWeights } from './weight_matching';
import { applyKerasWeightTransforms, normalizeKerasTopology } from './keras_compat';
import { DEFAULT_LOAD_LIMITS, getLoadLimits, setLoadLimits } from './limits';
import {
  concatenateArrayBuffers,
  decodeModelAndOptimizerWeights,
  decodeWeights,
  encodeWeights,
  float16BitsToFloat32,
  getWeightSpecs,
} from './weights';

export type {
  WeightDType,
  QuantizationDType,
  WeightQuantization,
  WeightsManifestEntry,
  WeightsManifestGroupConfig,
  WeightsManifestConfig,
  TrainingConfig,
  WeightData,
  ModelArtifacts,
  ModelJSON,
  ModelArtifactsInfo,
  SaveResult,
  SaveHandler,
  LoadHandler,
  IOHandler,
  FetchFunction,
  LoadOptions,
  IORouter,
  ModelStoreManager,
} from './types';
export type { MatchWeightsOptions, MatchWeightsResult } from './weight_matching';
export type { KerasWeightTransform, NormalizeKerasOptions, NormalizedKerasTopology } from './keras_compat';
export type { ModelJSONOptions } from './model_json';
export type { LoadLimits } from './limits';
export type { FileSystemOptions } from './file_system';
export type { LocalStorageOptions, StorageLike } from './local_storage';
export type { IndexedDBOptions } from './indexed_db';
export type { FileLike } from './browser_files';

export { convertPythonicToTs, convertTsToPythonic, matchWeights, parseModelJSON, normalizeKerasTopology, applyKerasWeightTransforms };

/** Model IO, as tfjs's `tf.io` (plus recurrent's `fileSystem`, `parseModelJSON`, `matchWeights`, ...). */
export const io = {
  // Handlers
  fileSystem,
  http,
  browserHTTPRequest,
  isHTTPScheme,
  browserLocalStorage,
  browserIndexedDB,
  browserDownloads,
  browserFiles,
  fromMemory,
  withSaveHandler,
  // Routing
  getSaveHandlers,
  getLoadHandlers,
  registerSaveRouter,
  registerLoadRouter,
  resolveHandler,
  // Stored-model management
  listModels,
  removeModel,
  copyModel,
  moveModel,
  registerModelStoreManager,
  localStorageManager,
  indexedDBManager,
  // Format
  encodeWeights,
  decodeWeights,
  decodeModelAndOptimizerWeights,
  concatenateArrayBuffers,
  getWeightSpecs,
  float16BitsToFloat32,
  parseModelJSON,
  validateModelJSON,
  validateWeightsManifest,
  getModelJSONForModelArtifacts,
  getModelArtifactsForJSON,
  getModelArtifactsForJSONSync,
  getModelArtifactsInfoForJSON,
  arrayBufferToBase64String,
  base64StringToArrayBuffer,
  convertPythonicToTs,
  convertTsToPythonic,
  matchWeights,
  normalizeKerasTopology,
  applyKerasWeightTransforms,
  // Limits that bound loading (docs/SECURITY.md)
  getLoadLimits,
  setLoadLimits,
  DEFAULT_LOAD_LIMITS,
};

/**
 * The IO types under `io`, as tfjs's `tf.io.ModelArtifacts` etc., so TypeScript code written for tfjs compiles
 * (`const h: io.IOHandler = {save: async (a: io.ModelArtifacts) => ...}`); the same types are exported at the top level.
 */
// A types-only namespace merges with the `io` object above (no runtime code); tfjs users name these types so.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace io {
  export type IOHandler = IOTypes.IOHandler;
  export type IORouter = IOTypes.IORouter;
  export type LoadHandler = IOTypes.LoadHandler;
  export type LoadOptions = IOTypes.LoadOptions;
  export type ModelArtifacts = IOTypes.ModelArtifacts;
  export type ModelArtifactsInfo = IOTypes.ModelArtifactsInfo;
  export type ModelJSON = IOTypes.ModelJSON;
  export type ModelStoreManager = IOTypes.ModelStoreManager;
  export type SaveHandler = IOTypes.SaveHandler;
  export type SaveResult = IOTypes.SaveResult;
  export type TrainingConfig = IOTypes.TrainingConfig;
  export type WeightData = IOTypes.WeightData;
  export type WeightsManifestConfig = IOTypes.WeightsManifestConfig;
  export type WeightsManifestEntry = IOTypes.WeightsManifestEntry;
}
