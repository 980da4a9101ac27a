/**
 * Training callbacks with tfjs's hooks: `BaseCallback` (and its alias `Callback`), plain-object
 * callbacks (`CustomCallback`), the `CallbackList` that `fit` drives, and `History`.
 *
 * ```js
 * await model.fit(x, y, {
 *   epochs: 5,
 *   callbacks: { onEpochEnd: async (epoch, logs) => console.log(epoch, logs.loss) },
 * });
 * ```
 */
import type { Tensor } from '@recurrent/core';
import { ValueError } from '@recurrent/core';

/** Numeric logs passed to hooks: `{loss, acc, val_loss, ...}` per epoch, plus `batch` and `size` per batch. */
export type Logs = { [key: string]: number };

/** A hook's return value: hooks may be async, and `fit` awaits them. */
export type HookResult = void | Promise<void>;

/** What `fit` tells callbacks about the run (tfjs's `CallbackParams`). */
export interface TrainingParams {
  epochs: number;
  initialEpoch: number;
  /** Number of training samples (after a validationSplit). */
  samples: number;
  /** Batches per epoch. tfjs note: tfjs sets this to null for tensor inputs; we give the count. */
  steps: number | null;
  batchSize: number;
  verbose: number;
  doValidation: boolean;
  /** Log keys: 'loss', metric names, and their 'val_' forms when validating. */
  metrics: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** The part of a model that callbacks use (a `Sequential` satisfies it). */
export interface CallbackModel {
  /** Set to true to stop `fit` after the current batch. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
}

/** Plain-object callback hooks, as tfjs's `CustomCallbackArgs`. Every hook is optional and may be async. */
export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => HookResult;
  onTrainEnd?: (logs?: Logs) => HookResult;
  onEpochBegin?: (epoch: number, logs?: Logs) => HookResult;
  onEpochEnd?: (epoch: number, logs?: Logs) => HookResult;
  onBatchBegin?: (batch: number, logs?: Logs) => HookResult;
  onBatchEnd?: (batch: number, logs?: Logs) => HookResult;
  /** Called when `fit` yields to the event loop (see `yieldEvery`). */
  onYield?: (epoch: number, batch: number, logs: Logs) => HookResult;
}

/**
 * Base class of callbacks (tfjs's `BaseCallback`). Subclasses override the hooks they need; `fit`
 * sets `model` and `params` before `onTrainBegin`.
 */
export abstract class BaseCallback {
  /** The model being trained (set by `fit`). */
  model: CallbackModel | null = null;
  /** The run's parameters (set by `fit`). */
  params: TrainingParams = {} as TrainingParams;
  /** The validation data given to `fit`, if any. */
  validationData: Tensor[] | null = null;

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  async onEpochBegin(_epoch: number, _logs?: Logs): Promise<void> {}

  async onEpochEnd(_epoch: number, _logs?: Logs): Promise<void> {}

  async onBatchBegin(_batch: number, _logs?: Logs): Promise<void> {}

  async onBatchEnd(_batch: number, _logs?: Logs): Promise<void> {}

  async onTrainBegin(_logs?: Logs): Promise<void> {}

  async onTrainEnd(_logs?: Logs): Promise<void> {}

  async onYield(_epoch: number, _batch: number, _logs: Logs): Promise<void> {}
}

/** tfjs's `Callback` (a `BaseCallback` with a model); subclass it for your own callbacks. */
export abstract class Callback extends BaseCallback {}

/** Wraps a plain object of hooks (tfjs's `CustomCallback`). */
export class CustomCallback extends BaseCallback {
  private readonly hooks: CustomCallbackArgs;

  constructor(args: CustomCallbackArgs) {
    super();
    if (args == null || typeof args !== 'object') {
      throw new ValueError(
        `CustomCallback: expected an object of hooks like {onEpochEnd: (epoch, logs) => ...}, received ${String(args)}.`,
      );
    }
    const known = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onYield'];
    for (const key of Object.keys(args)) {
      const value = (args as { [k: string]: unknown })[key];
      if (!known.includes(key)) {
        throw new ValueError(`CustomCallback: unknown hook '${key}'; known hooks: ${known.join(', ')}.`);
      }
      if (value != null && typeof value !== 'function') {
        throw new ValueError(`CustomCallback: hook '${key}' must be a function, received ${typeof value}.`);
      }
    }
    this.hooks = args;
  }

  override async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    if (this.hooks.onEpochBegin) await this.hooks.onEpochBegin(epoch, logs);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.hooks.onEpochEnd) await this.hooks.onEpochEnd(epoch, logs);
  }

  override async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    if (this.hooks.onBatchBegin) await this.hooks.onBatchBegin(batch, logs);
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.hooks.onBatchEnd) await this.hooks.onBatchEnd(batch, logs);
  }

  override async onTrainBegin(logs?: Logs): Promise<void> {
    if (this.hooks.onTrainBegin) await this.hooks.onTrainBegin(logs);
  }

  override async onTrainEnd(logs?: Logs): Promise<void> {
    if (this.hooks.onTrainEnd) await this.hooks.onTrainEnd(logs);
  }

  override async onYield(epoch: number, batch: number, logs: Logs): Promise<void> {
    if (this.hooks.onYield) await this.hooks.onYield(epoch, batch, logs);
  }
}

/** A callback, an object of hooks, or an array of either (what `fit({callbacks})` accepts). */
export type CallbackLike = BaseCallback | CustomCallbackArgs;

/** Normalizes `fit`'s `callbacks` argument to a list of `BaseCallback`s. */
export function standardizeCallbacks(callbacks: CallbackLike | CallbackLike[] | null | undefined): BaseCallback[] {
  if (callbacks == null) return [];
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  return list.map((c, i) => {
    if (c instanceof BaseCallback) return c;
    if (c == null || typeof c !== 'object') {
      throw new ValueError(`fit: callbacks[${i}] must be a callback or an object of hooks, received ${String(c)}.`);
    }
    return new CustomCallback(c as CustomCallbackArgs);
  });
}

/** Runs every hook of a list of callbacks in order, awaiting each (tfjs's `CallbackList`). */
export class CallbackList {
  readonly callbacks: BaseCallback[];

  constructor(callbacks: BaseCallback[] = []) {
    this.callbacks = callbacks.slice();
  }

  append(callback: BaseCallback): void {
    this.callbacks.push(callback);
  }

  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel(model);
  }

  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }

  async onBatchBegin(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin(batch, logs);
  }

  async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd(batch, logs);
  }

  async onTrainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }

  async onTrainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }

  async onYield(epoch: number, batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onYield(epoch, batch, logs);
  }
}

/**
 * Records the epoch logs; `fit` returns it (tfjs's `History`):
 * `history.epoch` = [0, 1, ...], `history.history.loss` = per-epoch losses, `history.history.val_loss`, ...
 */
export class History extends BaseCallback {
  /** The epoch indices that ran. */
  epoch: number[] = [];
  /** Per-key lists of epoch values. */
  history: { [key: string]: number[] } = {};

  override async onTrainBegin(): Promise<void> {
    this.epoch = [];
    this.history = {};
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.epoch.push(epoch);
    for (const key of Object.keys(logs)) {
      (this.history[key] ??= []).push(logs[key]);
    }
  }

  /** tfjs resolves pending tensor values here; ours are numbers already. */
  async syncData(): Promise<void> {}
}
