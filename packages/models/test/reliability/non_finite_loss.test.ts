/**
 * Issue #13 (non-finite loss): `callbacks.terminateOnNaN()` stops `fit` after the first batch whose loss is
 * NaN/Infinity and says where; the engine-side helpers (engine/fit_guards.ts, wired by the model engine)
 * refuse 0 samples, name a disposed model, and warn once or stop on a non-finite loss.
 */
import { tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { callbacks, sequential, TerminateOnNaN } from '@recurrent/models';
import { checkSampleCount, modelDisposedError, NonFiniteLossWatch } from '../../src/engine/fit_guards';

describe('terminateOnNaN', () => {
  it('stops fit after the first batch with a NaN loss, naming epoch and batch', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const y = tensor([1, 2, NaN, 4], [4, 1]);
    const messages: string[] = [];
    const cb = callbacks.terminateOnNaN({ log: (s) => messages.push(s) });
    expect(cb).toBeInstanceOf(TerminateOnNaN);
    const batches: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 5,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        cb,
        {
          onBatchEnd: (b: number) => {
            batches.push(b);
          },
        },
      ],
    });
    expect(cb.stopped).toEqual({
      epoch: 0,
      batch: 1,
      loss: NaN,
      message: 'terminateOnNaN: the loss is NaN after batch 1 of epoch 1; training stopped.',
    });
    expect(messages).toEqual([cb.stopped!.message]);
    expect(batches).toEqual([0, 1]);
    expect(h.epoch.length).toBe(1);
    m.dispose();
  });

  it('does nothing while the loss is finite', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const cb = callbacks.terminateOnNaN({
      log: () => {
        throw new Error('must not log');
      },
    });
    const h = await m.fit(tensor([1, 2, 3, 4], [2, 2]), tensor([1, 2], [2, 1]), { epochs: 3, verbose: 0, callbacks: [cb] });
    expect(h.epoch.length).toBe(3);
    expect(cb.stopped).toBeNull();
    m.dispose();
  });

  it('refuses unknown options with a suggestion', () => {
    expect(() => callbacks.terminateOnNaN({ logg: () => undefined } as never)).toThrow(
      /^terminateOnNaN: unknown option 'logg'; did you mean 'log'\?/,
    );
    expect(() => callbacks.terminateOnNaN({ log: 'x' } as never)).toThrow(/^terminateOnNaN: log must be a function/);
  });
});

describe('engine guards (for the model engine to call)', () => {
  it('checkSampleCount refuses 0 samples naming the call and the shape', () => {
    expect(() => checkSampleCount('fit', 0, [0, 5, 3])).toThrow(
      /^fit: the data has 0 samples \(x has shape \[0,5,3\]\); there is nothing to train on\./,
    );
    expect(() => checkSampleCount('evaluate', 0)).toThrow(/^evaluate: the data has 0 samples; there is nothing to evaluate\./);
    expect(() => checkSampleCount('fit', 3)).not.toThrow();
  });

  it('modelDisposedError names the model and the call', () => {
    expect(modelDisposedError('predict', 'sequential_3').message).toBe(
      "predict: model 'sequential_3' was disposed (model.dispose() frees its weights); it cannot be used any more. Build or load it again.",
    );
  });

  it('NonFiniteLossWatch warns once per run, stops when asked, ignores when asked', () => {
    const seen: string[] = [];
    const w = new NonFiniteLossWatch('warn', (m) => seen.push(m));
    w.observe(0, 0, 1.5);
    w.observe(0, 3, NaN);
    w.observe(1, 0, Infinity);
    expect(seen).toEqual([
      "fit: the loss became NaN at batch 3 of epoch 1; the weights are probably NaN now. Pass callbacks: [callbacks.terminateOnNaN()] or onNonFiniteLoss: 'stop' to stop.",
    ]);
    expect(() => new NonFiniteLossWatch('stop').observe(2, 1, -Infinity)).toThrow(
      /^fit: the loss became -Infinity at batch 1 of epoch 3; training stopped \(onNonFiniteLoss: 'stop'\)/,
    );
    expect(() =>
      new NonFiniteLossWatch('ignore', () => {
        throw new Error('no');
      }).observe(0, 0, NaN),
    ).not.toThrow();
    expect(() => new NonFiniteLossWatch('halt' as never)).toThrow(/onNonFiniteLoss must be 'warn', 'stop' or 'ignore', received "halt"/);
  });
});
