/**
 * What `fit` and `fitDataset` share around their batch loops: the callback list (progress bar, the user's callbacks,
 * History, as tfjs orders them), the run of epochs with its hooks (`runEpochs`), the epoch a `backupAndRestore`
 * callback resumes at, and yielding to the event loop (`yieldEvery`).
 */
import { BaseCallback, CallbackList, History, Logs, standardizeCallbacks } from '../callbacks/callback';
import type { CallbackLike } from '../callbacks/callback';
import { canPrintProgress, ProgbarLogger } from '../callbacks/progress_bar';
import { ValueError } from '@recurrent/core';

/** When training yields to the event loop (and calls `onYield`). */
export type YieldEveryOptions = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** The callbacks of one training run: progress (verbose, Node), the user's, then History (as tfjs). */
export function trainingCallbacks(
  verbose: number,
  callbacks: CallbackLike | CallbackLike[] | undefined,
): {
  list: BaseCallback[];
  callbackList: CallbackList;
  history: History;
} {
  const list: BaseCallback[] = [];
  if (verbose > 0 && canPrintProgress()) list.push(new ProgbarLogger({ verbose }));
  list.push(...standardizeCallbacks(callbacks));
  const history = new History();
  list.push(history);
  return { list, callbackList: new CallbackList(list), history };
}

/** The log keys of a run: the model's metric names, then their `val_` forms when validating. */
export function logKeys(labels: string[], doValidation: boolean): string[] {
  return doValidation ? [...labels, ...labels.map((l) => `val_${l}`)] : labels;
}

/** The flags and History of the model being trained. */
export interface TrainingModel {
  isTraining: boolean;
  stopTraining: boolean;
  history?: History | null;
}

/**
 * Runs the epochs of one training run: marks the model as training, then `onTrainBegin`, `beforeEpochs()`, and per
 * epoch (from `initialEpoch`, or where a restored backup resumes) `onEpochBegin`, `runEpoch(epoch)` (the batches and
 * validation: the epoch logs and its last batch index), `onEpochEnd`, a yield; stops after the epoch in which
 * `model.stopTraining` was set. `onTrainEnd` gets the last epoch's logs. Resolves to the run's History.
 */
export async function runEpochs(
  model: TrainingModel,
  run: ReturnType<typeof trainingCallbacks>,
  yielder: Yielder,
  initialEpoch: number,
  epochs: number,
  runEpoch: (epoch: number) => Promise<[Logs, number]>,
  beforeEpochs: () => Promise<void> = async () => {},
): Promise<History> {
  const { list, callbackList, history } = run;
  model.isTraining = true;
  model.stopTraining = false;
  model.history = history;
  let lastLogs: Logs = {};
  try {
    await callbackList.onTrainBegin();
    // A callback that restored a backup (backupAndRestore) says where to continue.
    const startEpoch = startEpochOf(list, initialEpoch);
    await beforeEpochs();
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      await callbackList.onEpochBegin(epoch);
      const [epochLogs, lastBatch] = await runEpoch(epoch);
      await callbackList.onEpochEnd(epoch, epochLogs);
      lastLogs = epochLogs;
      await yielder.afterEpoch(epoch, lastBatch, epochLogs);
      if (model.stopTraining) break;
    }
    await callbackList.onTrainEnd(lastLogs);
  } finally {
    model.isTraining = false;
  }
  return history;
}

/** The epoch to start at: `initialEpoch`, or later when a callback restored a backup (`resumeEpoch`). */
export function startEpochOf(list: BaseCallback[], initialEpoch: number): number {
  let start = initialEpoch;
  for (const c of list) {
    const resume = (c as { resumeEpoch?: unknown }).resumeEpoch;
    if (typeof resume === 'number' && resume > start) start = resume;
  }
  return start;
}

function nextTick(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => (typeof g.setImmediate === 'function' ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Yields to the event loop as `yieldEvery` says ('auto': every 125 ms in browsers, never in Node; 'batch'; 'epoch';
 * 'never'; or milliseconds), calling the callbacks' `onYield`. Throws naming `where` on a bad value.
 * tfjs note: tfjs calls `onYield` only when `yieldEvery` is a number of milliseconds (its 'auto' is 125 ms in Node
 * too); here every yield calls it, 'batch' and 'epoch' included, and 'auto' does not yield in Node.
 */
export class Yielder {
  private readonly mode: YieldEveryOptions;
  private readonly ms: number | null;
  private last = now();

  constructor(
    where: string,
    yieldEvery: YieldEveryOptions | undefined,
    private readonly callbacks: CallbackList,
  ) {
    const mode = yieldEvery ?? 'auto';
    let ms: number | null = null;
    if (typeof mode === 'number') {
      if (!(mode >= 0))
        throw new ValueError(
          `${where}: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds, received ${mode}.`,
        );
      ms = mode;
    } else if (mode === 'auto') {
      ms = isBrowser() ? 125 : null;
    } else if (!['batch', 'epoch', 'never'].includes(mode)) {
      throw new ValueError(
        `${where}: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds, received '${String(mode)}'.`,
      );
    }
    this.mode = mode;
    this.ms = ms;
  }

  /** After a batch. */
  async afterBatch(epoch: number, batch: number, logs: Logs): Promise<void> {
    if (this.mode === 'batch' || (this.ms !== null && now() - this.last >= this.ms)) {
      await nextTick();
      this.last = now();
      await this.callbacks.onYield(epoch, batch, logs);
    }
  }

  /** After an epoch. */
  async afterEpoch(epoch: number, lastBatch: number, logs: Logs): Promise<void> {
    if (this.mode === 'epoch') {
      await nextTick();
      await this.callbacks.onYield(epoch, lastBatch, logs);
    }
  }
}
