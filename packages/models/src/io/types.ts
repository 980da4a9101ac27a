/**
 * Types of the tfjs "layers-model" format: model.json plus binary weight shards, and the
 * IOHandler interface that moves them (tfjs's `tf.io` types, same field names).
 */

/** Dtypes a weight spec may declare. `string` and `complex64` (tfjs) are not supported here. */
export type WeightDType = 'float32' | 'int32' | 'bool';

/** Storage dtypes of quantized weights. */
export type QuantizationDType = 'uint8' | 'uint16' | 'float16';

/** Bytes per value of every dtype that can appear in a weights file. */
export const DTYPE_VALUE_SIZE_MAP: { readonly [dtype: string]: number } = Object.freeze({
  float32: 4,
  float16: 2,
  int32: 4,
  uint16: 2,
  uint8: 1,
  bool: 1,
});

/**
 * Quantization metadata of one weight. Affine quantization (uint8/uint16) decodes
 * `value = q * scale + min`; float16 decodes half floats. Dequantized on load.
 */
export interface WeightQuantization {
  dtype: QuantizationDType;
  scale?: number;
  min?: number;
  /** Written by the tfjs converter; informational. */
  original_dtype?: string;
}

/** One entry of a weights manifest group: a weight's name, shape and dtype. */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** `'model'` (default) or `'optimizer'` (optimizer state saved with `includeOptimizer`). */
  group?: 'model' | 'optimizer' | string;
  quantization?: WeightQuantization;
}

/** One group of weights stored in one or more shard files, concatenated in `paths` order. */
export interface WeightsManifestGroupConfig {
  paths: string[];
  weights: WeightsManifestEntry[];
}

/** The `weightsManifest` field of model.json. */
export type WeightsManifestConfig = WeightsManifestGroupConfig[];

/** Python-style training config (loss, metrics, optimizer_config) as tfjs writes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TrainingConfig = { [key: string]: any };

/** A JSON object (topology, metadata). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JSONObject = { [key: string]: any };

/** Weight bytes: one buffer, or several (shards) read as their concatenation. */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** Everything needed to rebuild a model: topology (Keras JSON, snake_case) and weights. */
export interface ModelArtifacts {
  /** The Keras-style model config (`{class_name, config, keras_version, backend}`). */
  modelTopology?: JSONObject | ArrayBuffer;
  /** `'layers-model'` for models saved by tfjs-layers or recurrent. */
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightsManifestEntry[];
  weightData?: WeightData;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: JSONObject;
  /** Graph-model fields, kept when present so artifacts pass through unchanged. */
  signature?: JSONObject;
  modelInitializer?: JSONObject;
  initializerSignature?: JSONObject;
}

/** The contents of model.json. */
export interface ModelJSON {
  modelTopology: JSONObject;
  weightsManifest: WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: JSONObject;
  signature?: JSONObject;
  modelInitializer?: JSONObject;
  initializerSignature?: JSONObject;
}

/** Sizes of what was saved (tfjs's ModelArtifactsInfo). */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON' | 'GraphDef';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

/** What `IOHandler.save` returns. */
export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  responses?: any[];
  errors?: Array<{} | string>;
}

export type SaveHandler = (modelArtifacts: ModelArtifacts) => Promise<SaveResult>;
export type LoadHandler = () => Promise<ModelArtifacts>;

/** Saves and/or loads model artifacts (tfjs's IOHandler). */
export interface IOHandler {
  save?: SaveHandler;
  load?: LoadHandler;
}

/** A fetch-compatible function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FetchFunction = (input: string, init?: any) => Promise<any>;

/** Options of `io.http()` and the http(s) routes of `io.getLoadHandlers()`. */
export interface LoadOptions {
  /** Used instead of the global `fetch`. */
  fetchFunc?: FetchFunction;
  /** Extra `fetch` init (headers, credentials); must not have a body. */
  requestInit?: RequestInit;
  /** Prefix for weight shard URLs instead of the model.json directory. */
  weightPathPrefix?: string;
  /** Maps a manifest path to the URL to fetch. */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** Called with the fraction done (0..1) while weights download. */
  onProgress?: (fraction: number) => void;
  /** Whether model weights must match variables exactly (used by model loaders). */
  strict?: boolean;
}

/** A handler factory for URLs it recognizes; returns null otherwise. */
export type IORouter = (url: string | string[], loadOptions?: LoadOptions) => IOHandler | null;

/** The listing/removal side of a storage medium (localstorage://, indexeddb://). */
export interface ModelStoreManager {
  listModels(): Promise<{ [path: string]: ModelArtifactsInfo }>;
  removeModel(path: string): Promise<ModelArtifactsInfo>;
}

/** A tensor paired with its weight name. */
export interface NamedTensor {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tensor: any;
}
