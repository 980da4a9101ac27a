/** The Keras-style progress display: pure formatting, the logger with a fake clock, and fit's verbosity. */
import { setSeed, tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import {
  formatBar,
  formatElapsed,
  formatEta,
  formatPerStep,
  formatProgressLine,
  formatValue,
  ProgbarLogger,
  sequential,
  TrainingParams,
} from '@recurrent/models';

describe('formatting', () => {
  test('the bar follows Keras: = for done steps, > at the head, . for the rest', () => {
    expect(formatBar(0, 32)).toBe('[' + '.'.repeat(30) + ']');
    expect(formatBar(12, 32)).toBe('[' + '='.repeat(10) + '>' + '.'.repeat(19) + ']');
    expect(formatBar(32, 32)).toBe('[' + '='.repeat(30) + ']');
    expect(formatBar(1, 3, 10)).toBe('[==>.......]');
  });

  test('values, ETA, elapsed time and time per step', () => {
    expect(formatValue(0.69314718)).toBe('0.6931');
    expect(formatValue(12.5)).toBe('12.5000');
    expect(formatValue(0)).toBe('0.0000');
    expect(formatValue(0.00012345)).toBe('1.2345e-4');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatEta(7.4)).toBe('7s');
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3723)).toBe('1:02:03');
    expect(formatElapsed(400)).toBe('0.4s');
    expect(formatElapsed(12400)).toBe('12s');
    expect(formatPerStep(12.4)).toBe('12ms/step');
    expect(formatPerStep(0.085)).toBe('85us/step');
    expect(formatPerStep(2100)).toBe('2s/step');
  });

  test('a running line and a finished line', () => {
    expect(
      formatProgressLine({
        current: 12,
        target: 32,
        elapsedMs: 1200,
        values: [
          ['loss', 0.693147],
          ['acc', 0.5],
        ],
      }),
    ).toBe('12/32 [==========>...................] - ETA: 2s - loss: 0.6931 - acc: 0.5000');
    expect(formatProgressLine({ current: 3, target: 32, elapsedMs: 30, values: [['loss', 1.25]] })).toBe(
      ' 3/32 [=>............................] - ETA: 0s - loss: 1.2500',
    );
    expect(
      formatProgressLine({
        current: 32,
        target: 32,
        elapsedMs: 400,
        values: [
          ['loss', 0.693147],
          ['acc', 0.5],
        ],
        finished: true,
      }),
    ).toBe('32/32 [==============================] - 0.4s 13ms/step - loss: 0.6931 - acc: 0.5000');
    expect(formatProgressLine({ current: 4, target: 4, elapsedMs: 20, values: [['loss', 0.1]], finished: true, noBar: true })).toBe(
      '4/4 - 0.0s 5ms/step - loss: 0.1000',
    );
  });
});

describe('ProgbarLogger', () => {
  function run(live: boolean): string[] {
    const out: string[] = [];
    let t = 0;
    const logger = new ProgbarLogger({ write: (s) => void out.push(s), live, now: () => t, intervalMs: 0 });
    logger.setParams({ epochs: 2, steps: 2, samples: 4 } as TrainingParams);
    return (async () => {
      await logger.onEpochBegin(0);
      t = 100;
      await logger.onBatchEnd(0, { batch: 0, size: 2, loss: 1 });
      t = 200;
      await logger.onBatchEnd(1, { batch: 1, size: 2, loss: 0.5 });
      await logger.onEpochEnd(0, { loss: 0.75, val_loss: 0.8 });
      return out;
    })() as unknown as string[];
  }

  test('without a TTY: the epoch header and one final line per epoch', async () => {
    const out = await run(false);
    expect(out.join('')).toBe('Epoch 1/2\n2/2 [==============================] - 0.2s 100ms/step - loss: 0.7500 - val_loss: 0.8000\n');
  });

  test('live: redraws in place with running means, then the final line', async () => {
    const out = await run(true);
    expect(out).toEqual([
      'Epoch 1/2\n',
      '\r1/2 [==============>...............] - ETA: 0s - loss: 1.0000',
      '\r2/2 [==============================] - ETA: 0s - loss: 0.7500',
      '\r2/2 [==============================] - 0.2s 100ms/step - loss: 0.7500 - val_loss: 0.8000',
      '\n',
    ]);
  });
});

describe('fit verbosity', () => {
  function model() {
    setSeed(0);
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
    return m;
  }
  const x = tensor([1, 2, 3, 4], [2, 2]);
  const y = tensor([1, 0], [2, 1]);

  test('verbose 0 prints nothing', async () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = model();
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    m.evaluate(x, y);
    m.predict(x);
    const calls = [stdout, stderr, log, warn].map((s) => s.mock.calls.length);
    [stdout, stderr, log, warn].forEach((s) => s.mockRestore());
    expect(calls).toEqual([0, 0, 0, 0]);
  });

  test('verbose 1 (the default) prints Keras-style epoch lines to stdout in Node', async () => {
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      await model().fit(x, y, { epochs: 2 });
    } finally {
      stdout.mockRestore();
    }
    const text = written.join('');
    expect(text).toMatch(/^Epoch 1\/2\n.*1\/1 \[=+\] - \d+\.\ds \d+(ms|us)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\n/m);
    expect(text).toMatch(/Epoch 2\/2\n/);
  });
});
