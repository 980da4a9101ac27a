/**
 * reduceLROnPlateau, earlyStopping, learningRateScheduler and csvLogger against Keras 3's own callbacks on the same
 * scripted epoch logs (fixtures/keras/callbacks/callback_sequences.json, written by generate.py there): the
 * epochs that run, the learning rate after each epoch, the logs the callbacks leave, the weights restored, the CSV.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BaseCallback, CallbackList, Logs } from '../../src/callbacks/callback';
import { csvLogger, earlyStopping, learningRateScheduler, reduceLROnPlateau } from '../../src/callbacks';

interface Case {
  name: string;
  callback: 'reduceLROnPlateau' | 'earlyStopping' | 'learningRateScheduler' | 'csvLogger';
  args?: { [k: string]: unknown };
  key?: string;
  schedule?: string;
  startLr?: number;
  values: (number | Logs)[];
  ran?: number[];
  lr?: number[];
  logs?: Logs[];
  weight_at_end?: number;
  csv?: string;
}
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/callbacks/callback_sequences.json'), 'utf8')) as {
  keras_version: string;
  cases: Case[];
};

/** The schedules of generate.py, by name. */
const SCHEDULES: { [name: string]: (epoch: number, lr: number) => number } = {
  'halve after epoch 1': (e, lr) => (e < 2 ? lr : lr * 0.5),
  'exponential decay': (_e, lr) => lr * Math.exp(-0.1),
  'by epoch only': (e) => 0.1 / (1 + e),
};

/** A stand-in model whose weight is the epoch number (as generate.py's), with an optimizer's learning rate. */
function fakeModel(lr: number) {
  const m = {
    stopTraining: false,
    weight: -1,
    optimizer: { learningRate: lr },
    getWeights: () => [m.weight] as never,
    setWeights: (w: number[]) => void (m.weight = w[0]),
  };
  return m;
}

/** Runs the scripted epochs as generate.py's `run`. */
async function run(cbs: BaseCallback[], c: Case) {
  const model = fakeModel(c.startLr ?? 1);
  const list = new CallbackList(cbs);
  list.setModel(model as never);
  list.setParams({ epochs: c.values.length } as never);
  await list.onTrainBegin();
  const ran: number[] = [];
  const lr: number[] = [];
  const logsAfter: Logs[] = [];
  for (let e = 0; e < c.values.length; e++) {
    model.weight = e;
    ran.push(e);
    await list.onEpochBegin(e);
    const v = c.values[e];
    const logs: Logs = typeof v === 'number' ? { [c.key ?? 'val_loss']: v } : { ...v };
    await list.onEpochEnd(e, logs);
    lr.push(model.optimizer.learningRate);
    logsAfter.push(logs);
    if (model.stopTraining) break;
  }
  await list.onTrainEnd();
  return { ran, lr, logs: logsAfter, weightAtEnd: model.weight };
}

function expectCloseAll(got: number[], want: number[], what: string): void {
  const ok = got.length === want.length && got.every((g, i) => Math.abs(g - want[i]) <= 1e-12 * Math.abs(want[i]));
  if (!ok) throw new Error(`${what} differs from Keras:\n got  ${got.join(', ')}\n want ${want.join(', ')}`);
}

function callbackOf(c: Case): BaseCallback {
  if (c.callback === 'reduceLROnPlateau') return reduceLROnPlateau(c.args as never);
  if (c.callback === 'earlyStopping') return earlyStopping(c.args as never);
  return learningRateScheduler(SCHEDULES[c.schedule!]);
}

describe(`callbacks on scripted logs as Keras ${FIXTURE.keras_version}'s`, () => {
  const sequences = FIXTURE.cases.filter((c) => c.callback !== 'csvLogger');
  test.each(sequences.map((c) => [`${c.callback}: ${c.name}`, c] as const))('%s', async (_title, c) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const got = await run([callbackOf(c)], c);
      expect(got.ran).toEqual(c.ran);
      expectCloseAll(got.lr, c.lr!, 'learning rate after each epoch');
      // The logs as the callback left them: Keras's reduceLROnPlateau and learningRateScheduler add learning_rate.
      expect(got.logs.map((l) => Object.keys(l).sort())).toEqual(c.logs!.map((l) => Object.keys(l).sort()));
      got.logs.forEach((l, i) => {
        const keys = Object.keys(l).sort();
        expectCloseAll(
          keys.map((k) => l[k] as number),
          keys.map((k) => c.logs![i][k] as number),
          `epoch ${i} logs ${keys.join(', ')}`,
        );
      });
      expect(got.weightAtEnd).toBe(c.weight_at_end);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  test('csvLogger after reduceLROnPlateau: the columns (learning_rate included) and rows', async () => {
    const c = FIXTURE.cases.find((k) => k.callback === 'csvLogger')!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascsv-'));
    try {
      const file = path.join(dir, 'log.csv');
      await run([reduceLROnPlateau({ patience: 1, factor: 0.5 }), csvLogger(file)], c);
      expect(fs.readFileSync(file, 'utf8')).toBe(c.csv);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
