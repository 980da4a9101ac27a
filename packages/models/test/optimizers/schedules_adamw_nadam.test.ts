/**
 * Learning-rate schedules against their Keras formulas at given steps, AdamW and Nadam against their
 * Keras 3 update rules computed here in float64 for several steps, schedules driving an optimizer,
 * and schedule serialization through the optimizer config and a saved training config.
 */
import { tensor, variable } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { AdamOptimizer, io, loadLayersModel, sequential, train } from '@recurrent/models';
import { ExponentialDecay } from '../../src/optimizers/schedules';

const S = train.schedules;

describe('schedules match the Keras formulas', () => {
  test('exponentialDecay (smooth and staircase)', () => {
    const s = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const st = S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    for (const step of [0, 1, 5, 10, 15, 100]) {
      expect(s.call(step)).toBeCloseTo(0.1 * 0.5 ** (step / 10), 12);
      expect(st.call(step)).toBeCloseTo(0.1 * 0.5 ** Math.floor(step / 10), 12);
    }
    expect(st.call(19)).toBeCloseTo(0.05, 12);
  });
  test('inverseTimeDecay', () => {
    const s = S.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 4, decayRate: 0.5 });
    expect([0, 4, 8, 6].map((t) => s.call(t))).toEqual([1, 1 / 1.5, 1 / 2, 1 / (1 + 0.5 * 1.5)]);
    const st = S.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 4, decayRate: 0.5, staircase: true });
    expect(st.call(6)).toBe(1 / 1.5);
  });
  test('piecewiseConstantDecay: boundaries belong to the lower piece', () => {
    const s = S.piecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([0, 10, 11, 20, 21, 1000].map((t) => s.call(t))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
  test('cosineDecay without and with warmup', () => {
    const s = S.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 });
    const f = (t: number) => 0.2 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, 100)) / 100)) + 0.1);
    for (const t of [0, 25, 50, 100, 150]) expect(s.call(t)).toBeCloseTo(f(t), 12);
    expect(s.call(100)).toBeCloseTo(0.02, 12);
    const w = S.cosineDecay({ initialLearningRate: 0, warmupTarget: 1, warmupSteps: 10, decaySteps: 20 });
    expect(w.call(0)).toBe(0);
    expect(w.call(5)).toBeCloseTo(0.5, 12);
    expect(w.call(10)).toBeCloseTo(1, 12);
    expect(w.call(20)).toBeCloseTo(0.5, 12); // half way through the cosine
    expect(w.call(30)).toBeCloseTo(0, 12);
    expect(w.call(99)).toBeCloseTo(0, 12);
  });
  test('bad arguments name the schedule and option', () => {
    expect(() => S.piecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      'PiecewiseConstantDecay: values must have one more entry than boundaries, but there are 2 boundaries and 2 values.',
    );
    expect(() => S.piecewiseConstantDecay({ boundaries: [2, 1], values: [1, 2, 3] })).toThrow(/boundaries must increase/);
    expect(() => S.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(
      'ExponentialDecay: decaySteps must be a positive number, received 0.',
    );
    expect(() => S.cosineDecay({ initialLearningRate: 0.1, decaySteps: 5, warmup: 3 } as any)).toThrow(/unknown option 'warmup'/);
  });
});

/** Runs `steps` updates of `opt` on one variable with fixed gradients per step. */
function run(opt: { applyGradients: (g: any) => void }, init: number[], grads: number[][]): Float32Array {
  const name = `sched_${Math.random().toString(36).slice(2)}`;
  const v = variable(tensor(init), true, name);
  for (const g of grads) opt.applyGradients({ [name]: tensor(g) });
  return v.values as Float32Array;
}

const INIT = [0.5, -1.2, 2.0];
const GRADS = [
  [0.1, -0.3, 0.7],
  [0.2, 0.1, -0.5],
  [-0.4, 0.05, 0.3],
  [0.3, -0.2, 0.1],
];

describe('AdamW and Nadam follow Keras 3', () => {
  test('AdamW: decay then Adam (Keras 3 ε placement), 4 steps', () => {
    const [lr, wd, b1, b2, eps] = [0.01, 0.1, 0.9, 0.999, 1e-7];
    const w = INIT.slice();
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    GRADS.forEach((g, k) => {
      const t = k + 1;
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      for (let i = 0; i < 3; i++) {
        w[i] -= w[i] * wd * lr;
        m[i] += (g[i] - m[i]) * (1 - b1);
        v[i] += (g[i] ** 2 - v[i]) * (1 - b2);
        w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + eps);
      }
    });
    const got = run(train.adamw(lr, wd), INIT, GRADS);
    got.forEach((x, i) => expect(x).toBeCloseTo(w[i], 6));
    expect(train.adamw().getConfig()).toEqual({ learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  });

  test('AdamW with weightDecay 0 is Keras Adam, which differs from tfjs Adam only by ε placement', () => {
    const a = run(train.adamw(0.01, 0), INIT, GRADS);
    const b = run(train.adam(0.01), INIT, GRADS);
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 5));
  });

  test('Nadam: Dozat schedule 0.96^t, 4 steps', () => {
    const [lr, b1, b2, eps] = [0.02, 0.9, 0.999, 1e-7];
    const w = INIT.slice();
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    let uProd = 1;
    GRADS.forEach((g, k) => {
      const t = k + 1;
      const ut = b1 * (1 - 0.5 * 0.96 ** t);
      const ut1 = b1 * (1 - 0.5 * 0.96 ** (t + 1));
      uProd *= ut;
      const uProd1 = uProd * ut1;
      for (let i = 0; i < 3; i++) {
        m[i] += (g[i] - m[i]) * (1 - b1);
        v[i] += (g[i] ** 2 - v[i]) * (1 - b2);
        const mHat = (ut1 * m[i]) / (1 - uProd1) + ((1 - ut) * g[i]) / (1 - uProd);
        const vHat = v[i] / (1 - b2 ** t);
        w[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    });
    const got = run(train.nadam(lr), INIT, GRADS);
    got.forEach((x, i) => expect(x).toBeCloseTo(w[i], 6));
  });
});

describe('schedules in optimizers', () => {
  test('the optimizer evaluates the schedule at its step count before each update', () => {
    const sched = S.piecewiseConstantDecay({ boundaries: [1], values: [1, 0.1] });
    const opt = train.sgd(sched as any);
    // step 0: lr 1, step 1: lr 1 (boundary belongs to the lower piece), step 2: lr 0.1
    const got = run(opt, [0], [[1], [1], [1]]);
    expect(got[0]).toBeCloseTo(-2.1, 6);
    expect(opt.learningRate).toBe(0.1);
  });

  test('a schedule serializes in the optimizer config and the saved training config, and loads back', async () => {
    const sched = new ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9 });
    const opt = train.adam(sched as any);
    expect(opt.getConfig().learningRate).toEqual({
      className: 'ExponentialDecay',
      config: { initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9, staircase: false },
    });
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: opt, loss: 'mse' });
    let saved: any;
    await m.save(
      io.withSaveHandler(async (a: any) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true } as any,
    );
    // The loss alias is written with tfjs's name (tfjs's loss lookup has no 'mse').
    expect(saved.trainingConfig.loss).toBe('mean_squared_error');
    const back = await loadLayersModel(io.fromMemory(saved));
    const o = back.optimizer as AdamOptimizer;
    expect(o.learningRateSchedule).toBeInstanceOf(ExponentialDecay);
    expect(o.learningRateSchedule!.call(100)).toBeCloseTo(0.009, 12);
  });

  test('Keras-style schedule configs (snake_case) load', async () => {
    const { optimizerFromConfig } = await import('../../src/engine/model_topology');
    const opt = optimizerFromConfig('load', {
      class_name: 'AdamW',
      config: {
        learning_rate: {
          module: 'keras.optimizers.schedules',
          class_name: 'CosineDecay',
          config: { initial_learning_rate: 0.1, decay_steps: 10, alpha: 0, name: 'CosineDecay', warmup_target: null, warmup_steps: 0 },
          registered_name: null,
        },
        weight_decay: 0.01,
      },
    }) as any;
    expect(opt.getClassName()).toBe('AdamW');
    expect(opt.weightDecay).toBe(0.01);
    expect(opt.learningRateSchedule.call(5)).toBeCloseTo(0.05, 12);
  });
});

describe('Keras optimizer configs in a training config', () => {
  // Keras 3.15 get_config() output (python: keras.optimizers.RMSprop(learning_rate=0.01, rho=0.8).get_config(), ...).
  const KERAS3_COMMON = {
    weight_decay: null,
    clipnorm: null,
    global_clipnorm: null,
    clipvalue: null,
    use_ema: false,
    ema_momentum: 0.99,
    ema_overwrite_frequency: null,
    loss_scale_factor: null,
    gradient_accumulation_steps: null,
  };
  const load = async (className: string, config: object) =>
    (await import('../../src/engine/model_topology')).optimizerFromConfig('load', { class_name: className, config }) as any;

  test("RMSprop's rho is tfjs's decay (Keras 3 writes rho; it was dropped, leaving decay 0.9)", async () => {
    const k3 = { name: 'rm_sprop', learning_rate: 0.01, ...KERAS3_COMMON, rho: 0.8, momentum: 0.0, epsilon: 1e-7, centered: false };
    const opt = await load('RMSprop', k3);
    expect(opt.getClassName()).toBe('RMSProp');
    expect(opt.decay).toBe(0.8);
    // Keras 2 wrote rho beside 'decay', its learning-rate time decay (0.0 by default): rho is the decay, not 0.
    const k2 = await load('RMSprop', {
      name: 'RMSprop',
      learning_rate: 0.001,
      decay: 0.0,
      rho: 0.9,
      momentum: 0.0,
      epsilon: 1e-7,
      centered: false,
    });
    expect(k2.decay).toBe(0.9);
    // recurrent/tfjs's own config (decay = rho, no rho key) is unchanged.
    expect((await load('RMSProp', { learningRate: 0.01, decay: 0.7, momentum: 0, epsilon: 1e-7, centered: false })).decay).toBe(0.7);
  });

  test('Keras options the optimizers do not have are refused, not dropped', async () => {
    const adam = { name: 'adam', learning_rate: 0.001, ...KERAS3_COMMON, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false };
    expect((await load('Adam', adam)).getClassName()).toBe('Adam');
    await expect(load('Adam', { ...adam, amsgrad: true })).rejects.toThrow(
      "load: optimizer Adam: 'amsgrad' true is not supported (the update would differ from Keras's); recompile with an optimizer of train.",
    );
    await expect(load('Adam', { ...adam, weight_decay: 0.01 })).rejects.toThrow(/optimizer Adam: 'weight_decay' 0\.01 is not supported/);
    await expect(
      load('SGD', { name: 'sgd', learning_rate: 0.01, ...KERAS3_COMMON, use_ema: true, momentum: 0, nesterov: false }),
    ).rejects.toThrow(/optimizer SGD: 'use_ema' true is not supported/);
    await expect(load('Adam', { ...adam, gradient_accumulation_steps: 4 })).rejects.toThrow(
      /'gradient_accumulation_steps' 4 is not supported/,
    );
    // Keras 2's learning-rate time decay, on a class without it.
    await expect(load('SGD', { lr: 0.01, momentum: 0.0, decay: 0.001, nesterov: false })).rejects.toThrow(
      /optimizer SGD: 'decay' 0\.001 is not supported/,
    );
    expect((await load('SGD', { lr: 0.01, momentum: 0.0, decay: 0.0, nesterov: false })).getClassName()).toBe('SGD');
    // AdamW takes weight_decay; Adamax takes Keras 2's decay.
    expect((await load('AdamW', { ...adam, weight_decay: 0.004 })).weightDecay).toBe(0.004);
    expect((await load('Adamax', { learning_rate: 0.002, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, decay: 0.01 })).decay).toBe(0.01);
  });
});
