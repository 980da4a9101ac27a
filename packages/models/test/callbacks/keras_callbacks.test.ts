/**
 * Keras callbacks' decisions on scripted loss curves (reduceLROnPlateau patience/cooldown/minDelta/minLr,
 * learningRateScheduler, terminateOnNaN, modelCheckpoint best-only), and their files (checkpoint
 * saves via temporary names, unwritable paths, csvLogger rows, backupAndRestore resume), and the SVG chart.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tensor, zeros } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { loadLayersModel, sequential, train } from '@recurrent/models';
import { BaseCallback, CallbackList, Logs } from '../../src/callbacks/callback';
import {
  backupAndRestore,
  csvLogger,
  formatCheckpointPath,
  historyChart,
  learningRateScheduler,
  modelCheckpoint,
  progress,
  reduceLROnPlateau,
  terminateOnNaN,
} from '../../src/callbacks';
import { data } from '../../src/data';
import { fitDataset } from '../../src/engine/fit_dataset';
import { FakeIndexedDB, FakeStorage } from '../io/fakes';

/** A stand-in model: an optimizer with a learning rate, stopTraining, and saves recorded. */
function fakeModel(lr = 1) {
  const saves: string[] = [];
  return {
    stopTraining: false,
    optimizer: { learningRate: lr },
    getWeights: () => [],
    setWeights: () => undefined,
    save: async (url: string) => void saves.push(url),
    saves,
  };
}

/** Runs epochs with scripted epoch logs through the callbacks. */
async function script(cbs: BaseCallback[], model: object, epochLogs: Logs[]): Promise<void> {
  const list = new CallbackList(cbs);
  list.setModel(model as any);
  list.setParams({ epochs: epochLogs.length } as any);
  await list.onTrainBegin();
  for (let e = 0; e < epochLogs.length; e++) {
    await list.onEpochBegin(e);
    await list.onEpochEnd(e, epochLogs[e]);
  }
  await list.onTrainEnd();
}

describe('reduceLROnPlateau decisions (Keras rule)', () => {
  test('patience 2, factor 0.5, cooldown 1, minDelta 0.01, minLr 0.2 on a scripted val_loss curve', async () => {
    const m = fakeModel(1);
    const cb = reduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minDelta: 0.01, minLr: 0.2 });
    // Hand trace (best, wait, cooldown → lr after the epoch):
    // e0 1.00 improves: best 1, wait 0                     → 1
    // e1 0.995 not by > 0.01: wait 1                       → 1
    // e2 0.99 not by > 0.01 (1 - 0.01 = 0.99, strict): wait 2 ≥ 2 → reduce to 0.5, cooldown 1, wait 0
    // e3 0.99 in cooldown: counter → 0, wait 0; no improvement, not counted (was in cooldown at check? counter now 0 → counts): wait 1 → 0.5
    // e4 0.98 improves (0.98 < 0.99): best 0.98, wait 0   → 0.5
    // e5 0.98 wait 1; e6 0.98 wait 2 → reduce to 0.25, cooldown 1
    // e7 0.98 cooldown → 0, wait 1; e8 0.98 wait 2 → 0.125 clipped to minLr 0.2
    // e9 0.98 cooldown → 0, wait 1; e10 wait 2 but lr 0.2 is not above minLr → stays 0.2
    const curve = [1, 0.995, 0.99, 0.99, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98];
    const lrs: number[] = [];
    const rec = new (class extends BaseCallback {
      override async onEpochEnd() {
        lrs.push(m.optimizer.learningRate);
      }
    })();
    await script(
      [cb, rec],
      m,
      curve.map((v) => ({ val_loss: v })),
    );
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2]);
  });

  test("mode 'auto' maximizes accuracy keys; factor >= 1 and schedules are refused", async () => {
    const m = fakeModel(0.1);
    await script([reduceLROnPlateau({ monitor: 'val_acc', patience: 1, minDelta: 0 })], m, [
      { val_acc: 0.5 },
      { val_acc: 0.6 },
      { val_acc: 0.55 },
    ]);
    expect(m.optimizer.learningRate).toBeCloseTo(0.01, 12);
    expect(() => reduceLROnPlateau({ factor: 1 })).toThrow('reduceLROnPlateau: factor must be below 1 (a reduction), received 1.');
    const sched = {
      stopTraining: false,
      optimizer: train.adam(train.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) as any),
    };
    await expect(script([reduceLROnPlateau()], sched, [{ val_loss: 1 }])).rejects.toThrow(
      /follows a schedule \(ExponentialDecay\), so a callback cannot set it/,
    );
  });
});

describe('learningRateScheduler and terminateOnNaN', () => {
  test('sets lr before each epoch from (epoch, lr)', async () => {
    const m = fakeModel(1);
    const seen: number[] = [];
    await script(
      [
        learningRateScheduler((e, lr) => {
          seen.push(lr);
          return e < 2 ? lr : lr * 0.1;
        }),
      ],
      m,
      [{}, {}, {}, {}],
    );
    expect(seen).toEqual([1, 1, 1, 0.1]);
    expect(m.optimizer.learningRate).toBeCloseTo(0.01, 12);
    await expect(script([learningRateScheduler(() => NaN)], fakeModel(), [{}])).rejects.toThrow(/returned NaN for epoch 0/);
  });

  test('terminateOnNaN stops fitDataset after the batch with a NaN loss', async () => {
    const model = sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const ds = data.array([0, 1, 2, 3]).map((i) => ({ xs: tensor([[i === 2 ? NaN : 1]]), ys: zeros([1, 1]) }));
    const t = terminateOnNaN();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = await fitDataset(model, ds, { epochs: 3, verbose: 0, callbacks: [t] });
    warn.mockRestore();
    expect(t.stopped).toMatchObject({ epoch: 0, batch: 2 });
    expect(h.epoch).toEqual([0]);
  });
});

describe('modelCheckpoint', () => {
  test('saveBestOnly saves exactly on improvements (min, and max for accuracy)', async () => {
    const m = fakeModel();
    await script(
      [modelCheckpoint('mem://ckpt-{epoch:02d}-{val_loss:.2f}', { saveBestOnly: true })],
      m,
      [0.9, 0.8, 0.85, 0.8, 0.7].map((v) => ({ val_loss: v })),
    );
    expect(m.saves).toEqual(['mem://ckpt-01-0.90', 'mem://ckpt-02-0.80', 'mem://ckpt-05-0.70']);
    const a = fakeModel();
    await script(
      [modelCheckpoint('mem://a', { monitor: 'val_accuracy', saveBestOnly: true, initialValueThreshold: 0.6 })],
      a,
      [0.5, 0.7, 0.65, 0.71].map((v) => ({ val_accuracy: v })),
    );
    expect(a.saves).toEqual(['mem://a', 'mem://a']);
    const every = fakeModel();
    await script([modelCheckpoint('mem://e{epoch}')], every, [{}, {}]);
    expect(every.saves).toEqual(['mem://e1', 'mem://e2']);
  });

  test("Keras's saveWeightsOnly is refused with what to do instead (a checkpoint is a whole tfjs model)", () => {
    // keras.io's weather example passes save_weights_only=True; the message said only 'unknown option'.
    expect(() => modelCheckpoint('mem://w', { monitor: 'val_loss', saveWeightsOnly: true, saveBestOnly: true } as never)).toThrow(
      /^modelCheckpoint: saveWeightsOnly is not supported: a checkpoint is the whole model \(topology and weights, the tfjs format\); restore the weights with loadLayersModel\(url\) and model\.setWeights\(loaded\.getWeights\(\)\)\.$/,
    );
    expect(modelCheckpoint('mem://w', { saveWeightsOnly: false }).saveBestOnly).toBe(false); // what it does anyway
    expect(() => modelCheckpoint('mem://w', { mointor: 'loss' } as never)).toThrow(
      /^modelCheckpoint: unknown option 'mointor'; did you mean 'monitor'\? Known options: /,
    );
    expect(() => modelCheckpoint('mem://w', { frequency: 2 } as never)).toThrow(
      /^modelCheckpoint: unknown option 'frequency'\. Known options: /,
    );
  });

  test("a path without a scheme (Keras's 'model_checkpoint.weights.h5') is refused when the callback is made, not after the first epoch", () => {
    expect(() => modelCheckpoint('ckpt/best-{epoch:02d}', { saveBestOnly: true })).toThrow(
      /^modelCheckpoint: filepath 'ckpt\/best-\{epoch:02d\}' has no URL scheme; a path on disk is 'file:\/\/ckpt\/best-\{epoch:02d\}' \(Node\), else use indexeddb:\/\/, localstorage:\/\/, http\(s\):\/\/ or an IOHandler\.$/,
    );
  });

  test('path templates', () => {
    expect(formatCheckpointPath('m-{epoch:03d}-{loss:.3f}-{acc}', { epoch: 7, loss: 0.12345, acc: 0.5 })).toBe('m-007-0.123-0.5');
    expect(() => formatCheckpointPath('m-{val_acc}', { epoch: 1 })).toThrow(/names \{val_acc\}, which is not in the logs/);
  });

  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function model() {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return m;
  }
  const ds = data.array([0, 1, 2]).map((i) => ({ xs: tensor([[i, 1]]), ys: tensor([[i]]) }));

  test('file:// checkpoints load back, leave no temporary files, and saveFreq counts batches', async () => {
    const m = model();
    const cb = modelCheckpoint(`file://${dir}/run/e{epoch}`);
    const perBatch = modelCheckpoint(`file://${dir}/batches/b{batch}`, { saveFreq: 2 });
    await fitDataset(m, ds, { epochs: 2, verbose: 0, callbacks: [cb, perBatch] });
    expect(fs.readdirSync(path.join(dir, 'run')).sort()).toEqual(['e1', 'e2']);
    expect(fs.readdirSync(path.join(dir, 'run', 'e2')).sort()).toEqual(['model.json', 'weights.bin']);
    // 3 batches per epoch, a save every 2: after batch 2 of epoch 1, then batches 1 and 3 of epoch 2. `{batch}` is
    // 1-based as Keras 3's ModelCheckpoint (filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)).
    expect(perBatch.saved.map((p) => path.basename(p))).toEqual(['b2', 'b1', 'b3']);
    const back = await loadLayersModel(`file://${dir}/run/e2`);
    expect(Array.from(back.getWeights()[0].values)).toEqual(Array.from(m.getWeights()[0].values));
  });

  test('checkpoints to localstorage:// and indexeddb:// (saveBestOnly on a real run) load back', async () => {
    const g = globalThis as any;
    const storage = new FakeStorage();
    const idb = new FakeIndexedDB();
    Object.assign(g, { localStorage: storage, indexedDB: idb, window: { localStorage: storage, indexedDB: idb } });
    try {
      const m = model();
      const best = modelCheckpoint('indexeddb://best', { monitor: 'loss', saveBestOnly: true });
      await fitDataset(m, ds, { epochs: 3, verbose: 0, callbacks: [modelCheckpoint('localstorage://last'), best] });
      expect(best.saved.length).toBeGreaterThan(0);
      const fromLs = await loadLayersModel('localstorage://last');
      expect(Array.from(fromLs.getWeights()[0].values)).toEqual(Array.from(m.getWeights()[0].values));
      expect((await loadLayersModel('indexeddb://best')).getWeights().length).toBe(2);
    } finally {
      delete g.localStorage;
      delete g.indexedDB;
      delete g.window;
    }
  });

  test('an unwritable path fails naming the path and the epoch', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const m = model();
    await expect(fitDataset(m, ds, { epochs: 1, verbose: 0, callbacks: [modelCheckpoint(`file://${blocker}/ckpt`)] })).rejects.toThrow(
      new RegExp(`^modelCheckpoint: saving epoch 1 to 'file://${blocker}/ckpt' failed: `),
    );
  });
});

describe('csvLogger and backupAndRestore (Node files)', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbfiles-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('csvLogger writes a header and one row per epoch; append continues a file', async () => {
    const file = path.join(dir, 'log.csv');
    await script([csvLogger(file)], fakeModel(), [
      { loss: 0.5, acc: 0.25 },
      { loss: 0.25, acc: 0.5 },
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch,acc,loss\n0,0.25,0.5\n1,0.5,0.25\n');
    await script([csvLogger(file, ';', true)], fakeModel(), [{ loss: 0.125, acc: 0.75 }]);
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch,acc,loss\n0,0.25,0.5\n1,0.5,0.25\n0;0.75;0.125\n');
  });

  test('backupAndRestore resumes after the last finished epoch with its weights, and removes the backup at the end', async () => {
    const backupDir = path.join(dir, 'backup');
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })] });
    m.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
    const ds = data.array([{ xs: tensor([[1]]), ys: tensor([[0]]) }]);
    let crashAt = 2;
    const epochsRun: number[] = [];
    const crash = {
      onEpochBegin: async (e: number) => {
        epochsRun.push(e);
        if (e === crashAt) throw new Error('power cut');
      },
    };
    await expect(fitDataset(m, ds, { epochs: 4, verbose: 0, callbacks: [backupAndRestore(backupDir), crash] })).rejects.toThrow(
      /power cut/,
    );
    const afterTwo = Array.from(m.getWeights()[0].values);
    expect(fs.existsSync(path.join(backupDir, 'training_state.json'))).toBe(true);
    // A fresh process: a new model with other weights picks up from the backup.
    const again = sequential({ layers: [layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
    again.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
    crashAt = -1;
    let firstWeights: number[] = [];
    const peek = {
      onEpochBegin: async (e: number) => {
        if (e === 2) firstWeights = Array.from(again.getWeights()[0].values);
      },
    };
    const h = await fitDataset(again, ds, { epochs: 4, verbose: 0, callbacks: [backupAndRestore(backupDir), crash, peek] });
    expect(epochsRun).toEqual([0, 1, 2, 2, 3]);
    expect(h.epoch).toEqual([2, 3]);
    expect(firstWeights).toEqual(afterTwo);
    expect(fs.existsSync(backupDir)).toBe(false);
  });
  test("backupAndRestore also restores the optimizer's state: an Adam run resumed after a crash ends where an uninterrupted one does", async () => {
    // Keras 3 BackupAndRestore saves model.save_weights(), whose file holds the optimizer's variables (the step count
    // and Adam's moments: 'optimizer/vars/0..' in the .weights.h5), and loads them back; so resuming changes nothing.
    const backupDir = path.join(dir, 'backup_adam');
    const make = () => {
      const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones', biasInitializer: 'zeros' })] });
      m.compile({ optimizer: train.adam(0.05), loss: 'meanSquaredError' });
      return m;
    };
    const ds = data.array([
      { xs: tensor([[1, 2, 3]]), ys: tensor([[0, 1]]) },
      { xs: tensor([[-1, 0.5, 2]]), ys: tensor([[1, -1]]) },
    ]);
    const straight = make();
    await fitDataset(straight, ds, { epochs: 4, verbose: 0 });
    const want = straight.getWeights().map((w) => Array.from(w.values));

    const first = make();
    const crash = {
      onEpochBegin: async (e: number) => {
        if (e === 2) throw new Error('power cut');
      },
    };
    await expect(fitDataset(first, ds, { epochs: 4, verbose: 0, callbacks: [backupAndRestore(backupDir), crash] })).rejects.toThrow(
      /power cut/,
    );
    const resumed = make();
    await fitDataset(resumed, ds, { epochs: 4, verbose: 0, callbacks: [backupAndRestore(backupDir)] });
    expect(resumed.getWeights().map((w) => Array.from(w.values))).toEqual(want);
    expect((resumed.optimizer as any).iterations).toBe(8);
  });
});

describe('historyChart and progress(element)', () => {
  test('the SVG has one polyline per key with a point per epoch, and a legend', () => {
    const svg = historyChart({ history: { loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, NaN] } }, { title: 'run <1>' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)!.length).toBe(2);
    const pts = /data-key="loss"[^>]*points="([^"]*)"/.exec(svg)![1].split(' ');
    expect(pts.length).toBe(3);
    expect(/data-key="val_loss"[^>]*points="([^"]*)"/.exec(svg)![1].split(' ').length).toBe(2);
    expect(svg).toContain('run &lt;1&gt;');
    expect(() => historyChart({ loss: [1] }, { keys: ['acc'] })).toThrow("historyChart: 'acc' is not in the history (keys: loss).");
  });

  test('progress renders into an element during fitDataset', async () => {
    const el = { innerHTML: '' };
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await fitDataset(m, data.array([{ xs: tensor([[1]]), ys: tensor([[0]]) }]), { epochs: 2, verbose: 0, callbacks: [progress(el)] });
    expect(el.innerHTML).toContain('Epoch 2/2');
    expect(el.innerHTML).toContain('width:100.0%');
    expect(el.innerHTML).toContain('<polyline data-key="loss"');
    expect(() => progress(null as any)).toThrow(/expected a DOM element/);
  });
});
