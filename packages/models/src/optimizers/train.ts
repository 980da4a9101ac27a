/**
 * Optimizer factories as tfjs's `tf.train` namespace, and `getOptimizer` for `compile()`.
 *
 * Every factory takes tfjs's positional arguments plus an optional trailing Keras clip options
 * object, or a single config object (the `getConfig()` keys):
 *
 * ```js
 * train.adam(1e-3);
 * train.adam(1e-3, 0.9, 0.999, 1e-7, {clipnorm: 1});
 * train.adam({learningRate: 1e-3, clipnorm: 1});
 * ```
 *
 * tfjs note: the clip options and the config-object form are additions (tfjs has neither).
 */
import { nameTable, ownEntry } from '@recurrent/layers';
import { CLIP_KEYS, ClipOptions } from './clip';
import { Optimizer, OptimizerConfig } from './optimizer';
import { SGDOptimizer } from './sgd';
import { MomentumOptimizer } from './momentum';
import { AdamOptimizer } from './adam';
import { AdamaxOptimizer } from './adamax';
import { RMSPropOptimizer } from './rmsprop';
import { AdagradOptimizer } from './adagrad';
import { AdadeltaOptimizer } from './adadelta';
import { AdamWOptimizer } from './adamw';
import { NadamOptimizer } from './nadam';
import { LearningRateSchedule, schedules } from './schedules';
import type { LearningRate } from './optimizer';
import { ValueError } from '@recurrent/core';

/** A config object: the optimizer's `getConfig()` keys plus clip options. */
export type OptimizerArgs = OptimizerConfig & ClipOptions;

function isConfig(x: unknown): x is OptimizerArgs {
  return x != null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof LearningRateSchedule);
}

/** Builds `cls` from a config object, rejecting unknown keys (named with the known ones). */
function fromArgs(
  cls: { className: string; configKeys: readonly string[]; fromConfig(cls: unknown, c: OptimizerConfig): Optimizer },
  config: OptimizerArgs,
): Optimizer {
  const known = [...cls.configKeys, ...CLIP_KEYS];
  for (const k of Object.keys(config)) {
    if (!known.includes(k)) throw new ValueError(`train: unknown ${cls.className} option '${k}'; known options: ${known.join(', ')}.`);
  }
  return cls.fromConfig(cls, config);
}

/** Plain SGD: `value -= lr * grad`. */
function sgd(learningRate: number | LearningRateSchedule | OptimizerArgs, options?: ClipOptions): SGDOptimizer {
  if (isConfig(learningRate)) return fromArgs(SGDOptimizer, learningRate) as SGDOptimizer;
  return new SGDOptimizer(learningRate, options);
}

/** SGD with (optionally Nesterov) momentum. */
function momentum(
  learningRate: number | LearningRateSchedule | OptimizerArgs,
  momentum?: number,
  useNesterov = false,
  options?: ClipOptions,
): MomentumOptimizer {
  if (isConfig(learningRate)) return fromArgs(MomentumOptimizer, learningRate) as MomentumOptimizer;
  return new MomentumOptimizer(learningRate, momentum as number, useNesterov, options);
}

/** RMSProp (tfjs defaults: decay 0.9, momentum 0, epsilon 1e-7, not centered). */
function rmsprop(
  learningRate: number | LearningRateSchedule | OptimizerArgs,
  decay = 0.9,
  momentum = 0,
  epsilon: number | null = null,
  centered = false,
  options?: ClipOptions,
): RMSPropOptimizer {
  if (isConfig(learningRate)) return fromArgs(RMSPropOptimizer, learningRate) as RMSPropOptimizer;
  return new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered, options);
}

/** Adam (tfjs defaults: lr 0.001, β1 0.9, β2 0.999, epsilon 1e-7). */
function adam(
  learningRate: number | LearningRateSchedule | OptimizerArgs = 0.001,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon: number | null = null,
  options?: ClipOptions,
): AdamOptimizer {
  if (isConfig(learningRate)) return fromArgs(AdamOptimizer, learningRate) as AdamOptimizer;
  return new AdamOptimizer(learningRate, beta1, beta2, epsilon, options);
}

/** Adadelta (tfjs defaults: lr 0.001, ρ 0.95, epsilon 1e-7). */
function adadelta(
  learningRate: number | LearningRateSchedule | OptimizerArgs = 0.001,
  rho = 0.95,
  epsilon: number | null = null,
  options?: ClipOptions,
): AdadeltaOptimizer {
  if (isConfig(learningRate)) return fromArgs(AdadeltaOptimizer, learningRate) as AdadeltaOptimizer;
  return new AdadeltaOptimizer(learningRate, rho, epsilon, options);
}

/** Adamax (tfjs defaults: lr 0.002, β1 0.9, β2 0.999, epsilon 1e-7, decay 0). */
function adamax(
  learningRate: number | LearningRateSchedule | OptimizerArgs = 0.002,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon: number | null = null,
  decay = 0,
  options?: ClipOptions,
): AdamaxOptimizer {
  if (isConfig(learningRate)) return fromArgs(AdamaxOptimizer, learningRate) as AdamaxOptimizer;
  return new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay, options);
}

/** Adagrad (tfjs default initialAccumulatorValue 0.1). */
function adagrad(
  learningRate: number | LearningRateSchedule | OptimizerArgs,
  initialAccumulatorValue = 0.1,
  options?: ClipOptions,
): AdagradOptimizer {
  if (isConfig(learningRate)) return fromArgs(AdagradOptimizer, learningRate) as AdagradOptimizer;
  return new AdagradOptimizer(learningRate, initialAccumulatorValue, options);
}

/**
 * AdamW, Keras 3 semantics (defaults: lr 0.001, weightDecay 0.004, β1 0.9, β2 0.999, epsilon 1e-7).
 * tfjs note: an addition; tfjs has no AdamW.
 */
function adamw(
  learningRate: LearningRate | OptimizerArgs = 0.001,
  weightDecay = 0.004,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon: number | null = null,
  options?: ClipOptions,
): AdamWOptimizer {
  if (isConfig(learningRate) && !('className' in learningRate)) return fromArgs(AdamWOptimizer, learningRate) as AdamWOptimizer;
  return new AdamWOptimizer(learningRate as LearningRate, weightDecay, beta1, beta2, epsilon, options);
}

/** Nadam, Keras 3 semantics (defaults: lr 0.001, β1 0.9, β2 0.999, epsilon 1e-7). tfjs note: an addition. */
function nadam(
  learningRate: LearningRate | OptimizerArgs = 0.001,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon: number | null = null,
  options?: ClipOptions,
): NadamOptimizer {
  if (isConfig(learningRate) && !('className' in learningRate)) return fromArgs(NadamOptimizer, learningRate) as NadamOptimizer;
  return new NadamOptimizer(learningRate as LearningRate, beta1, beta2, epsilon, options);
}

/** The optimizer factories, as tfjs's `tf.train`, plus `adamw`, `nadam` and learning-rate `schedules`. */
export const train = { sgd, momentum, rmsprop, adam, adadelta, adamax, adagrad, adamw, nadam, schedules };

/**
 * Keras/tfjs-layers defaults for optimizer names in `compile()` (tfjs-layers' `getOptimizer`).
 * tfjs note: 'momentum' (SGD lr 0.01 with momentum 0.9) is an addition; tfjs-layers does not know it.
 */
const OPTIMIZER_DEFAULTS: Readonly<{ [name: string]: () => Optimizer }> = nameTable({
  sgd: () => sgd(0.01),
  momentum: () => momentum(0.01, 0.9),
  adam: () => adam(0.001, 0.9, 0.999, 1e-7),
  adamax: () => adamax(0.002, 0.9, 0.999, 1e-7, 0),
  rmsprop: () => rmsprop(0.001, 0.9, 0, 1e-7),
  adagrad: () => adagrad(0.01),
  adadelta: () => adadelta(1, 0.95, 1e-7),
  adamw: () => adamw(0.001, 0.004, 0.9, 0.999, 1e-7),
  nadam: () => nadam(0.001, 0.9, 0.999, 1e-7),
});

/** All optimizer classes by `className`, for deserialization. */
export const OPTIMIZER_CLASSES: Readonly<{ [className: string]: typeof SGDOptimizer | typeof AdamOptimizer | any }> = nameTable({
  SGD: SGDOptimizer,
  Momentum: MomentumOptimizer,
  Adam: AdamOptimizer,
  Adamax: AdamaxOptimizer,
  RMSProp: RMSPropOptimizer,
  Adagrad: AdagradOptimizer,
  Adadelta: AdadeltaOptimizer,
  AdamW: AdamWOptimizer,
  Nadam: NadamOptimizer,
});

/**
 * Resolves `compile()`'s optimizer argument: an Optimizer instance is returned as is; a name
 * ('sgd', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'momentum', or the class names
 * 'SGD', 'Adam', 'RMSProp', ...) gives a new optimizer with Keras's default learning rate.
 */
export function getOptimizer(identifier: string | Optimizer): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    // Own properties only: 'constructor', 'toString', ... are unknown optimizers. A class name's defaults are
    // those of its lower-case name ('RMSProp' → 'rmsprop').
    const key = ownEntry(OPTIMIZER_CLASSES, identifier) !== undefined ? identifier.toLowerCase() : identifier;
    const make = ownEntry(OPTIMIZER_DEFAULTS, key);
    if (make !== undefined) return make();
  }
  const shown = typeof identifier === 'string' ? `'${identifier}'` : String(identifier);
  throw new ValueError(
    `getOptimizer: unknown optimizer ${shown}; known optimizers: ${Object.keys(OPTIMIZER_DEFAULTS).join(', ')} ` +
      `(or their class names ${Object.keys(OPTIMIZER_CLASSES).join(', ')}), or an Optimizer instance.`,
  );
}
