/** Callbacks: hook order, async hooks, Callback subclasses, CallbackList, History, earlyStopping. */
import { Tensor, tensor, ValueError } from '@recurrent/core';
import * as tf from '@tensorflow/tfjs';
import { layers } from '@recurrent/layers';
import {
  BaseCallback,
  Callback,
  CallbackList,
  callbacks,
  CustomCallback,
  EarlyStopping,
  History,
  Logs,
  sequential,
  train,
} from '@recurrent/models';

function tinyModel() {
  const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
  return m;
}
const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]);
const y = tensor([1, 0, 1, 0, 1], [5, 1]);

describe('hooks', () => {
  test('are called in tfjs order with batch and epoch logs, and async hooks are awaited', async () => {
    const events: string[] = [];
    let pending = false;
    const m = tinyModel();
    await m.fit(x, y, {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      validationSplit: 0.2,
      callbacks: {
        onTrainBegin: () => void events.push('trainBegin'),
        onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
        onBatchBegin: (b, logs) => {
          expect(pending).toBe(false);
          events.push(`batchBegin ${b} size=${logs!.size}`);
        },
        onBatchEnd: async (b, logs) => {
          pending = true;
          await new Promise((r) => setTimeout(r, 2));
          pending = false;
          events.push(`batchEnd ${b} ${Object.keys(logs!).join(',')}`);
        },
        onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs!).sort().join(',')}`),
        onTrainEnd: () => void events.push('trainEnd'),
      },
    });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchBegin 0 size=2',
      'batchEnd 0 batch,size,loss',
      'batchBegin 1 size=2',
      'batchEnd 1 batch,size,loss',
      'epochEnd 0 loss,val_loss',
      'epochBegin 1',
      'batchBegin 0 size=2',
      'batchEnd 0 batch,size,loss',
      'batchBegin 1 size=2',
      'batchEnd 1 batch,size,loss',
      'epochEnd 1 loss,val_loss',
      'trainEnd',
    ]);
  });

  test('several callbacks run in the order given; a Callback subclass gets the model and params', async () => {
    const order: string[] = [];
    class Recorder extends Callback {
      constructor(private readonly tag: string) {
        super();
      }
      override async onEpochEnd(epoch: number): Promise<void> {
        order.push(`${this.tag}${epoch}`);
        expect(this.model).toBe(m);
        expect(this.params.epochs).toBe(1);
        expect(this.params.metrics).toEqual(['loss']);
      }
    }
    const m = tinyModel();
    await m.fit(x, y, { verbose: 0, callbacks: [new Recorder('a'), { onEpochEnd: () => void order.push('b0') }, new Recorder('c')] });
    expect(order).toEqual(['a0', 'b0', 'c0']);
  });

  test('epoch loss is the batch-size-weighted mean of the batch losses', async () => {
    const batchLosses: [number, number][] = [];
    const m = tinyModel();
    const h = await m.fit(x, y, {
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: { onBatchEnd: (_, l) => void batchLosses.push([l!.loss, l!.size]) },
    });
    expect(batchLosses.map((b) => b[1])).toEqual([2, 2, 1]);
    const expected = batchLosses.reduce((s, [l, n]) => s + l * n, 0) / 5;
    expect(h.history.loss[0]).toBeCloseTo(expected, 6);
  });

  test('CallbackList drives every callback; History records epoch logs', async () => {
    const calls: string[] = [];
    const cb = new CustomCallback({
      onEpochBegin: (e) => void calls.push(`begin${e}`),
      onYield: (e, b) => void calls.push(`yield${e}.${b}`),
    });
    const h = new History();
    const list = new CallbackList([cb, h]);
    await list.onTrainBegin();
    await list.onEpochBegin(0);
    await list.onYield(0, 3, {});
    await list.onEpochEnd(0, { loss: 2, acc: 0.5 });
    await list.onEpochEnd(1, { loss: 1, acc: 0.75 });
    expect(calls).toEqual(['begin0', 'yield0.3']);
    expect(h.epoch).toEqual([0, 1]);
    expect(h.history).toEqual({ loss: [2, 1], acc: [0.5, 0.75] });
    expect(() => new CustomCallback(3 as never)).toThrow(/expected an object of hooks/);
  });
});

/** A stand-in model for callbacks: weights are one number, the epoch at which they were "trained". */
class FakeModel {
  stopTraining = false;
  weight = -1;
  getWeights(): Tensor[] {
    return [tensor([this.weight])];
  }
  setWeights(ws: Tensor[]): void {
    this.weight = ws[0].dataSync()[0];
  }
}

/** Feeds a scripted sequence of monitored values; returns the epochs that ran and the fake model. */
async function script(cb: BaseCallback, values: number[], key = 'val_loss'): Promise<{ ran: number[]; model: FakeModel }> {
  const model = new FakeModel();
  cb.setModel(model);
  const ran: number[] = [];
  await cb.onTrainBegin();
  for (let epoch = 0; epoch < values.length; epoch++) {
    model.weight = epoch;
    ran.push(epoch);
    const logs: Logs = { [key]: values[epoch] };
    await cb.onEpochEnd(epoch, logs);
    if (model.stopTraining) break;
  }
  await cb.onTrainEnd();
  return { ran, model };
}

describe('earlyStopping', () => {
  test('patience 0 stops at the first epoch without improvement', async () => {
    const { ran } = await script(callbacks.earlyStopping(), [1, 0.8, 0.9, 0.5]);
    expect(ran).toEqual([0, 1, 2]);
  });

  test('patience counts epochs without improvement since the best', async () => {
    const es = callbacks.earlyStopping({ patience: 2 });
    const { ran } = await script(es, [1, 0.8, 0.9, 0.7, 0.75, 0.71, 0.6]);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
    expect(es.stoppedEpoch).toBe(5);
    expect(es.best).toBe(0.7);
    expect(es.bestEpoch).toBe(3);
  });

  test('minDelta: smaller changes do not count as improvements', async () => {
    const { ran } = await script(callbacks.earlyStopping({ minDelta: 0.1, patience: 2 }), [1, 0.95, 0.92, 0.5]);
    expect(ran).toEqual([0, 1, 2]);
    expect((await script(callbacks.earlyStopping({ patience: 2 }), [1, 0.95, 0.92, 0.5])).ran).toEqual([0, 1, 2, 3]);
    // patience 1 stops at the first epoch that does not improve by more than minDelta.
    expect((await script(callbacks.earlyStopping({ minDelta: 0.1, patience: 1 }), [1, 0.95, 0.5])).ran).toEqual([0, 1]);
  });

  test("mode 'auto' maximizes accuracies; mode 'max' and 'min' are explicit", async () => {
    expect((await script(callbacks.earlyStopping({ monitor: 'val_acc' }), [0.5, 0.6, 0.55, 0.9], 'val_acc')).ran).toEqual([0, 1, 2]);
    expect((await script(callbacks.earlyStopping({ monitor: 'val_accuracy' }), [0.5, 0.4], 'val_accuracy')).ran).toEqual([0, 1]);
    expect((await script(callbacks.earlyStopping({ monitor: 'score', mode: 'max' }), [1, 2, 3, 2], 'score')).ran).toEqual([0, 1, 2, 3]);
    expect((await script(callbacks.earlyStopping({ monitor: 'loss', mode: 'min' }), [3, 2, 2.5], 'loss')).ran).toEqual([0, 1, 2]);
  });

  test("mode 'auto' takes the direction of the metric or loss the key names (Keras 3), and refuses a key it cannot tell", async () => {
    // Rising values [0.5, 0.6, 0.55]: maximized, epoch 2 is the first without improvement (minimized: epoch 1).
    for (const key of ['val_precision', 'recall', 'val_out1_binary_accuracy', 'val_auc', 'r2Score', 'val_top_k_categorical_accuracy']) {
      expect((await script(callbacks.earlyStopping({ monitor: key }), [0.5, 0.6, 0.55, 0.9], key)).ran).toEqual([0, 1, 2]);
    }
    // Falling values [3, 2, 2.5]: minimized, epoch 2 is the first without improvement.
    for (const key of ['val_mse', 'out2_loss', 'perplexity', 'val_categorical_crossentropy', 'val_meanAbsoluteError', 'val_ce']) {
      expect((await script(callbacks.earlyStopping({ monitor: key }), [3, 2, 2.5, 1], key)).ran).toEqual([0, 1, 2]);
    }
    for (const make of [
      () => callbacks.earlyStopping({ monitor: 'val_myScore' }),
      () => callbacks.reduceLROnPlateau({ monitor: 'val_myScore' }),
      () => callbacks.modelCheckpoint('mem://m', { monitor: 'val_myScore' }),
    ]) {
      expect(make).toThrow(ValueError);
      expect(make).toThrow(/mode 'auto' cannot tell whether 'val_myScore' should rise or fall .*pass mode: 'max' or mode: 'min'/);
    }
    expect((await script(callbacks.earlyStopping({ monitor: 'val_myScore', mode: 'max' }), [1, 2, 1], 'val_myScore')).ran).toEqual([
      0, 1, 2,
    ]);
  });

  test('baseline: training stops unless the baseline is beaten within patience', async () => {
    expect((await script(callbacks.earlyStopping({ baseline: 0.5, patience: 2 }), [0.9, 0.8, 0.4, 0.3])).ran).toEqual([0, 1]);
    expect((await script(callbacks.earlyStopping({ baseline: 0.5, patience: 2 }), [0.9, 0.4, 0.45, 0.3])).ran).toEqual([0, 1, 2, 3]);
    // As tfjs, the baseline is the initial best: with patience 0 a first epoch above it stops training.
    expect((await script(callbacks.earlyStopping({ baseline: 0.5 }), [0.9, 0.4])).ran).toEqual([0]);
  });

  test('restoreBestWeights puts back the weights of the best epoch at the end of training', async () => {
    const { ran, model } = await script(callbacks.earlyStopping({ patience: 2, restoreBestWeights: true }), [1, 0.5, 0.7, 0.6, 0.2]);
    expect(ran).toEqual([0, 1, 2, 3]);
    expect(model.weight).toBe(1);
    // Without it, the last weights stay.
    const plain = await script(callbacks.earlyStopping({ patience: 2 }), [1, 0.5, 0.7, 0.6, 0.2]);
    expect(plain.model.weight).toBe(3);
    // Also when training ends without stopping early (Keras 3).
    const full = await script(callbacks.earlyStopping({ patience: 5, restoreBestWeights: true }), [1, 0.5, 0.7]);
    expect(full.model.weight).toBe(1);
  });

  test('restoreBestWeights with a baseline never beaten restores the best epoch seen (Keras 3)', async () => {
    // Keras 3.15 EarlyStopping(baseline=0.5, patience=2, restore_best_weights=True) on val_loss [0.7, 0.9] runs
    // epochs [0, 1] and ends with the weights of epoch 0 (fixtures/keras/callbacks/early_stopping_reference.py).
    const es = callbacks.earlyStopping({ baseline: 0.5, patience: 2, restoreBestWeights: true });
    const { ran, model } = await script(es, [0.7, 0.9]);
    expect(ran).toEqual([0, 1]);
    expect(model.weight).toBe(0);
    expect(es.bestEpoch).toBe(0);
    // Once the baseline is beaten, the best epoch is the best below it.
    const beaten = await script(callbacks.earlyStopping({ baseline: 0.5, patience: 2, restoreBestWeights: true }), [0.7, 0.4, 0.45, 0.6]);
    expect(beaten.ran).toEqual([0, 1, 2, 3]);
    expect(beaten.model.weight).toBe(1);
  });

  test('in fit: stops a real model and restores its best weights (scripted val_loss)', async () => {
    const m = tinyModel();
    const scripted = [0.9, 0.5, 0.6, 0.7, 0.4, 0.3];
    const weightsAt: number[][] = [];
    const h = await m.fit(x, y, {
      epochs: 6,
      verbose: 0,
      validationSplit: 0.2,
      callbacks: [
        // Runs before earlyStopping and overwrites the logged value it monitors.
        { onEpochEnd: (e, logs) => void ((logs as Logs).val_loss = scripted[e]) },
        { onEpochEnd: () => void weightsAt.push(Array.from(m.getWeights()[0].dataSync())) },
        callbacks.earlyStopping({ patience: 2, restoreBestWeights: true }),
      ],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(h.history.val_loss).toEqual([0.9, 0.5, 0.6, 0.7]);
    expect(Array.from(m.getWeights()[0].dataSync())).toEqual(weightsAt[1]);
    expect(weightsAt[3]).not.toEqual(weightsAt[1]);
  });

  test('a NaN monitored value counts as no improvement (tfjs and Keras 3), so a diverged run stops', async () => {
    // Keras 3.15 EarlyStopping(patience=1) on val_loss [1, nan, nan, nan] runs epochs [0, 1]
    // (fixtures/keras/callbacks/early_stopping_reference.py); tfjs's earlyStopping, run the same way, agrees.
    const values = [1, NaN, NaN, NaN];
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { ran } = await script(callbacks.earlyStopping({ patience: 1 }), values);
      expect(ran).toEqual([0, 1]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    const theirs = tf.callbacks.earlyStopping({ patience: 1 });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    theirs.setModel(model);
    await theirs.onTrainBegin();
    const ranTheirs: number[] = [];
    for (let e = 0; e < values.length && !model.stopTraining; e++) {
      ranTheirs.push(e);
      await theirs.onEpochEnd(e, { val_loss: values[e] });
    }
    expect(ranTheirs).toEqual([0, 1]);
  });

  test('warns (and does nothing) when the monitored key is missing; rejects bad options', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { ran } = await script(callbacks.earlyStopping({ monitor: 'val_loss' }), [1, 2, 3], 'loss');
    expect(ran).toEqual([0, 1, 2]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/'val_loss' is not in the epoch logs \(available: loss\)/));
    warn.mockRestore();
    expect(() => callbacks.earlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer/);
    expect(() => callbacks.earlyStopping({ startFromEpoch: 1.5 })).toThrow(
      'earlyStopping: startFromEpoch must be an integer >= 0, received 1.5.',
    );
    expect(() => callbacks.earlyStopping({ mode: 'up' as never })).toThrow(/mode must be 'auto', 'min' or 'max'/);
    expect(() => callbacks.earlyStopping({ monitr: 'loss' } as never)).toThrow(/unknown option 'monitr'/);
    expect(new EarlyStopping()).toBeInstanceOf(BaseCallback);
  });
});
