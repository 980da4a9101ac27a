/** Types of the Keras compatibility pass (see index.ts): public results and options, and the pass's shared context. */
import type { JSONObject, WeightsManifestEntry } from '../types';

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

/** State shared by the passes of one `normalizeKerasTopology` call. */
export interface Context {
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
