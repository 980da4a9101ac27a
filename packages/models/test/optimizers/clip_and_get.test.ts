/** Keras-style clipping (hand-worked), clipByGlobalNorm, getOptimizer, minimize and bad input. */
import { Tensor, Variable, matMul, reshape, tensor, variable } from '@recurrent/core';
import {
  AdamOptimizer,
  AdadeltaOptimizer,
  AdagradOptimizer,
  AdamaxOptimizer,
  MomentumOptimizer,
  Optimizer,
  RMSPropOptimizer,
  SGDOptimizer,
  clipByGlobalNorm,
  getOptimizer,
  train,
} from '@recurrent/models';

let uid = 0;
const fresh = (values: number[], shape?: number[]) => variable(tensor(values, shape), true, `clip_test_${uid++}`);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
}

describe('clipping (Keras semantics, hand-worked)', () => {
  test('clipnorm rescales each gradient to norm clipnorm when larger', () => {
    const a = fresh([0, 0]);
    const b = fresh([0]);
    const opt = train.sgd(1, { clipnorm: 1 });
    // ‖[3,4]‖ = 5 > 1 → [0.6, 0.8]; ‖[0.5]‖ = 0.5 ≤ 1 → unchanged.
    opt.applyGradients(
      [
        { name: a.name, tensor: tensor([3, 4]) },
        { name: b.name, tensor: tensor([0.5]) },
      ],
      [a, b],
    );
    expectClose(a.dataSync(), [-0.6, -0.8]);
    expectClose(b.dataSync(), [-0.5]);
  });

  test('globalClipnorm rescales all gradients together', () => {
    const a = fresh([0, 0]);
    const b = fresh([0]);
    const opt = train.sgd(1, { globalClipnorm: 2.6 });
    // global norm sqrt(9 + 16 + 144) = 13 → scale 0.2.
    opt.applyGradients(
      [
        { name: a.name, tensor: tensor([3, 4]) },
        { name: b.name, tensor: tensor([12]) },
      ],
      [a, b],
    );
    expectClose(a.dataSync(), [-0.6, -0.8]);
    expectClose(b.dataSync(), [-2.4]);
  });

  test('clipvalue clips each element', () => {
    const a = fresh([0, 0, 0]);
    const opt = train.adagrad(1, 0.1, { clipvalue: 0.5 });
    opt.applyGradients([{ name: a.name, tensor: tensor([2, -3, 0.25]) }], [a]);
    // adagrad: value -= g / sqrt(0.1 + g² + 1e-7) with g clipped to [0.5, -0.5, 0.25].
    const f = (g: number) => -g / Math.sqrt(0.1 + g * g + 1e-7);
    expectClose(a.dataSync(), [f(0.5), f(-0.5), f(0.25)]);
  });

  test('clipping happens before the update rule (adam with clipnorm)', () => {
    const a = fresh([1, 1]);
    const opt = train.adam(0.1, 0.9, 0.999, 1e-7, { clipnorm: 1 });
    opt.applyGradients({ [a.name]: tensor([30, 40]) }, [a]);
    // First Adam step: m̂ = g, v̂ = g², update = lr·g/(|g| + eps) with g = [0.6, 0.8].
    expectClose(a.dataSync(), [1 - 0.1 * (0.6 / (0.6 + 1e-7)), 1 - 0.1 * (0.8 / (0.8 + 1e-7))]);
  });

  test('option errors name the optimizer', () => {
    expect(() => train.sgd(0.1, { clipnorm: -1 })).toThrow(/SGD: clipnorm must be a positive finite number, received -1/);
    expect(() => train.adam(0.1, 0.9, 0.999, 1e-7, { clipnorm: 1, clipvalue: 1 })).toThrow(
      /Adam: only one of clipnorm, clipvalue and globalClipnorm/,
    );
    expect(() => train.sgd(0.1, { clipNorm: 1 } as any)).toThrow(
      /SGD: unknown option 'clipNorm'; did you mean 'clipnorm'\? Known options: clipnorm, clipvalue, globalClipnorm\./,
    );
  });
});

describe('clipByGlobalNorm', () => {
  test('returns clipped tensors and the global norm', () => {
    const [clipped, norm] = clipByGlobalNorm([tensor([3, 4]), tensor([[12]])], 6.5);
    expect(norm).toBeCloseTo(13, 6);
    expectClose(clipped[0].dataSync(), [1.5, 2]);
    expectClose(clipped[1].dataSync(), [6]);
    expect(clipped[1].shape).toEqual([1, 1]);
  });
  test('leaves small gradients unchanged', () => {
    const [clipped, norm] = clipByGlobalNorm([tensor([0.3, 0.4])], 1);
    expect(norm).toBeCloseTo(0.5, 6);
    expectClose(clipped[0].dataSync(), [0.3, 0.4]);
  });
  test('bad clipNorm throws', () => {
    expect(() => clipByGlobalNorm([tensor([1])], 0)).toThrow(/clipByGlobalNorm: clipNorm must be a positive number, received 0/);
  });
});

describe('getOptimizer', () => {
  test.each([
    ['sgd', SGDOptimizer, { learningRate: 0.01 }],
    ['SGD', SGDOptimizer, { learningRate: 0.01 }],
    ['adam', AdamOptimizer, { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    ['rmsprop', RMSPropOptimizer, { learningRate: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false }],
    ['RMSProp', RMSPropOptimizer, { learningRate: 0.001, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false }],
    ['adagrad', AdagradOptimizer, { learningRate: 0.01, initialAccumulatorValue: 0.1 }],
    ['adadelta', AdadeltaOptimizer, { learningRate: 1, rho: 0.95, epsilon: 1e-7 }],
    ['adamax', AdamaxOptimizer, { learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0 }],
    ['momentum', MomentumOptimizer, { learningRate: 0.01, momentum: 0.9, useNesterov: false }],
  ] as [string, any, object][])('%s gives tfjs-layers defaults', (name, cls, config) => {
    const o = getOptimizer(name);
    expect(o).toBeInstanceOf(cls);
    expect(o.getConfig()).toEqual(config);
    expect(getOptimizer(name)).not.toBe(o);
  });
  test('instances pass through', () => {
    const o = train.adam(0.5);
    expect(getOptimizer(o)).toBe(o);
  });
  test('unknown names list the known ones', () => {
    expect(() => getOptimizer('ftrl')).toThrow(
      /unknown optimizer 'ftrl'; known optimizers: sgd, momentum, adam, adamax, rmsprop, adagrad, adadelta, adamw, nadam/,
    );
  });
});

describe('minimize', () => {
  const sumSquares = (w: Tensor) => reshape(matMul(reshape(w, [1, w.size]), reshape(w, [w.size, 1])), []);

  test('one SGD step on sum(w²) with a varList; returns the cost when asked', () => {
    const w = fresh([1, -2]);
    const opt = train.sgd(0.1);
    const cost = opt.minimize(() => sumSquares(w), true, [w]);
    expect(cost!.dataSync()[0]).toBeCloseTo(5, 6);
    expectClose(w.dataSync(), [0.8, -1.6]); // w - 0.1·2w
    expect(opt.minimize(() => sumSquares(w), false, [w])).toBeNull();
    expect(opt.iterations).toBe(2);
  });

  test('adam drives sum(w²) down', () => {
    const w = fresh([1, -2, 3]);
    const opt: Optimizer = train.adam(0.1);
    const first = opt.minimize(() => sumSquares(w), true, [w])!.dataSync()[0];
    let last = first;
    for (let i = 0; i < 100; i++) last = opt.minimize(() => sumSquares(w), true, [w])!.dataSync()[0];
    expect(last).toBeLessThan(first / 10);
  });
});

describe('applyGradients bad input', () => {
  test('gradient shape mismatch names the optimizer, variable and both shapes', () => {
    const w: Variable = fresh([1, 2, 3, 4], [2, 2]);
    expect(() => train.adam().applyGradients([{ name: w.name, tensor: tensor([1, 2, 3, 4]) }], [w])).toThrow(
      `Adam.applyGradients: the gradient of '${w.name}' has shape [4] but the variable has shape [2,2].`,
    );
  });
  test('unknown variable names are reported', () => {
    expect(() => train.sgd(0.1).applyGradients({ no_such_variable_xyz: tensor([1]) })).toThrow(
      /SGD.applyGradients: no variable named 'no_such_variable_xyz'/,
    );
  });
  test('null gradients are skipped as in tfjs', () => {
    const w = fresh([1]);
    train.sgd(0.1).applyGradients([{ name: w.name, tensor: null as any }], [w]);
    expect(Array.from(w.dataSync())).toEqual([1]);
  });
  test('bad hyperparameters name the optimizer and argument', () => {
    expect(() => train.sgd(-1)).toThrow(/SGD: learningRate must be a non-negative number, received -1/);
    expect(() => train.momentum(0.1, undefined as any)).toThrow(/Momentum: momentum must be a non-negative number, received undefined/);
  });
});
