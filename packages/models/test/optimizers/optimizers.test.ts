/** Every optimizer against tfjs's optimizer on the same variables and gradients over several steps. */
import * as tf from '@tensorflow/tfjs';
import { Variable, tensor, variable } from '@recurrent/core';
import { Optimizer, train } from '@recurrent/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic pseudo-random values in [-scale, scale]. */
function values(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(((s / 2 ** 32) * 2 - 1) * scale);
  }
  return out;
}

let uid = 0;
const SHAPES = [[2, 3], [4]];

interface Case {
  name: string;
  ours: () => Optimizer;
  theirs: () => tf.Optimizer;
  /** tfjs's centered RMSProp gives NaN for a zero gradient (see the separate test). */
  noZeroGrad?: boolean;
}

const cases: Case[] = [
  { name: 'sgd', ours: () => train.sgd(0.1), theirs: () => tf.train.sgd(0.1) },
  { name: 'momentum', ours: () => train.momentum(0.1, 0.9), theirs: () => tf.train.momentum(0.1, 0.9) },
  { name: 'momentum nesterov', ours: () => train.momentum(0.05, 0.8, true), theirs: () => tf.train.momentum(0.05, 0.8, true) },
  { name: 'adam defaults', ours: () => train.adam(), theirs: () => tf.train.adam() },
  { name: 'adam', ours: () => train.adam(0.1, 0.8, 0.99, 1e-6), theirs: () => tf.train.adam(0.1, 0.8, 0.99, 1e-6) },
  { name: 'adamax defaults', ours: () => train.adamax(), theirs: () => tf.train.adamax() },
  { name: 'adamax decay', ours: () => train.adamax(0.1, 0.8, 0.95, 1e-6, 0.1), theirs: () => tf.train.adamax(0.1, 0.8, 0.95, 1e-6, 0.1) },
  { name: 'rmsprop', ours: () => train.rmsprop(0.01), theirs: () => tf.train.rmsprop(0.01) },
  { name: 'rmsprop momentum', ours: () => train.rmsprop(0.01, 0.8, 0.5, 1e-6), theirs: () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6) },
  {
    name: 'rmsprop centered',
    ours: () => train.rmsprop(0.01, 0.9, 0.3, 1e-10, true),
    theirs: () => tf.train.rmsprop(0.01, 0.9, 0.3, 1e-10, true),
    // A tiny epsilon: tfjs subtracts it where TensorFlow (and we) add it.
    noZeroGrad: true,
  },
  { name: 'adagrad', ours: () => train.adagrad(0.1), theirs: () => tf.train.adagrad(0.1) },
  { name: 'adagrad init', ours: () => train.adagrad(0.05, 0.5), theirs: () => tf.train.adagrad(0.05, 0.5) },
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: ${actual[i]} vs expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

describe.each(cases)('$name matches tfjs', ({ ours, theirs, noZeroGrad }) => {
  test.each(['list', 'map'])('over 6 steps (%s form)', (form) => {
    const o = ours();
    const t = theirs();
    const names = SHAPES.map(() => `opt_test_${uid++}`);
    const init = SHAPES.map((s, k) =>
      values(
        s.reduce((a, b) => a * b, 1),
        11 + k,
      ),
    );
    const ourVars: Variable[] = SHAPES.map((s, k) => variable(tensor(init[k], s), true, names[k]));
    const tfVars = SHAPES.map((s, k) => tf.variable(tf.tensor(init[k], s), true, names[k]));
    for (let step = 0; step < 6; step++) {
      const g = SHAPES.map((s, k) =>
        values(
          s.reduce((a, b) => a * b, 1),
          100 * step + k + 1,
          step === 3 ? 1e-3 : 2,
        ),
      );
      // A zero gradient element exercises the centered RMSProp and Adadelta edge cases.
      if (!noZeroGrad) g[0][0] = 0;
      if (form === 'list') {
        o.applyGradients(
          names.map((name, k) => ({ name, tensor: tensor(g[k], SHAPES[k]) })),
          ourVars,
        );
        t.applyGradients(names.map((name, k) => ({ name, tensor: tf.tensor(g[k], SHAPES[k]) })));
      } else {
        const ourMap: { [n: string]: ReturnType<typeof tensor> } = {};
        const tfMap: { [n: string]: tf.Tensor } = {};
        names.forEach((name, k) => {
          ourMap[name] = tensor(g[k], SHAPES[k]);
          tfMap[name] = tf.tensor(g[k], SHAPES[k]);
        });
        o.applyGradients(ourMap, ourVars);
        t.applyGradients(tfMap);
      }
      ourVars.forEach((v, k) => expectClose(v.dataSync(), tfVars[k].dataSync(), 1e-6, `step ${step} ${names[k]}`));
    }
    expect(o.iterations).toBe(6);
    ourVars.forEach((v) => v.dispose());
    tfVars.forEach((v) => v.dispose());
  });
});

describe('Adadelta follows Keras 3 (tfjs note: tfjs steps as plain SGD)', () => {
  // Keras 3.15 Adadelta on the variable [1, -2, 0.5] with these four gradients, the variable after each step
  // (fixtures/keras/optimizers/adadelta_reference.py).
  const GRADS = [
    [0.5, -1, 2],
    [1, 0.25, -0.5],
    [-2, 1, 0.75],
    [0.3, -0.3, 1.5],
  ];
  const KERAS: [number, number, number, number[][]][] = [
    [
      1,
      0.95,
      1e-7,
      [
        [0.9985858201980591, -1.998585820198059, 0.4985857903957367],
        [0.996787965297699, -1.9990826845169067, 0.49908268451690674],
        [0.9991357922554016, -2.0005364418029785, 0.4983553886413574],
        [0.9986639022827148, -2.0000040531158447, 0.49709194898605347],
      ],
    ],
    [
      0.5,
      0.9,
      1e-6,
      [
        [0.9984188675880432, -1.998418927192688, 0.4984188675880432],
        [0.9963985681533813, -1.9989887475967407, 0.49898865818977356],
        [0.9990297555923462, -2.0006377696990967, 0.49814677238464355],
        [0.9984906315803528, -2.00001859664917, 0.4966919720172882],
      ],
    ],
  ];
  test.each(KERAS)('lr %p, rho %p, epsilon %p', (lr, rho, eps, steps) => {
    const name = `opt_test_${uid++}`;
    const v = variable(tensor([1, -2, 0.5]), true, name);
    const o = train.adadelta(lr, rho, eps);
    GRADS.forEach((g, k) => {
      o.applyGradients({ [name]: tensor(g) }, [v]);
      expectClose(v.dataSync(), steps[k], 1e-6, `step ${k}`);
    });
    v.dispose();
  });

  test("tfjs's rule (the accumulator from before the step) keeps both accumulators equal, so it is SGD with the learning rate", () => {
    const a = tf.variable(tf.tensor([1, -2, 0.5]), true, `opt_test_${uid++}`);
    const b = tf.variable(tf.tensor([1, -2, 0.5]), true, `opt_test_${uid++}`);
    const adadelta = tf.train.adadelta(1, 0.95, 1e-7);
    const sgd = tf.train.sgd(1);
    for (const g of GRADS) {
      adadelta.applyGradients([{ name: a.name, tensor: tf.tensor(g) }]);
      sgd.applyGradients([{ name: b.name, tensor: tf.tensor(g) }]);
    }
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    a.dispose();
    b.dispose();
  });
});

test('centered RMSProp stays finite for a zero gradient (tfjs gives NaN)', () => {
  const name = `opt_test_${uid++}`;
  const v = variable(tensor([1, 2]), true, name);
  const o = train.rmsprop(0.01, 0.9, 0, 1e-7, true);
  o.applyGradients([{ name, tensor: tensor([0, 1]) }], [v]);
  // Hand-worked: ms = 0.1, mg = 0.1, denominator sqrt(0.1 - 0.01 + 1e-7).
  expectClose(v.dataSync(), [1, 2 - 0.01 / Math.sqrt(0.09 + 1e-7)], 1e-6, 'value');
  const tv = tf.variable(tf.tensor([1, 2]), true, name);
  tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true).applyGradients([{ name, tensor: tf.tensor([0, 1]) }]);
  expect(Number.isNaN(tv.dataSync()[0])).toBe(true);
  v.dispose();
  tv.dispose();
});

describe('config', () => {
  test.each([
    ['SGD', () => train.sgd(0.1), () => tf.train.sgd(0.1)],
    ['Momentum', () => train.momentum(0.1, 0.9, true), () => tf.train.momentum(0.1, 0.9, true)],
    ['Adam', () => train.adam(), () => tf.train.adam()],
    ['Adamax', () => train.adamax(), () => tf.train.adamax()],
    ['RMSProp', () => train.rmsprop(0.01), () => tf.train.rmsprop(0.01)],
    ['Adagrad', () => train.adagrad(0.1), () => tf.train.adagrad(0.1)],
    ['Adadelta', () => train.adadelta(), () => tf.train.adadelta()],
  ] as [string, () => Optimizer, () => tf.Optimizer][])('%s className, getConfig and fromConfig as tfjs', (className, make, makeTf) => {
    const o = make();
    const t = makeTf();
    const cls = o.constructor as any;
    expect(cls.className).toBe(className);
    expect(cls.className).toBe((t.constructor as any).className);
    expect(o.getClassName()).toBe(className);
    expect(o.getConfig()).toEqual(t.getConfig());
    const back = cls.fromConfig(cls, o.getConfig());
    expect(back).toBeInstanceOf(cls);
    expect(back.getConfig()).toEqual(o.getConfig());
  });

  test('config object form and clip options round-trip', () => {
    const o = train.adam({ learningRate: 0.01, clipnorm: 1 });
    expect(o.getConfig()).toEqual({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, clipnorm: 1 });
    const cls = o.constructor as any;
    expect(cls.fromConfig(cls, o.getConfig()).clipOptions).toEqual({ clipnorm: 1 });
    expect(() => train.adam({ learningRate: 0.01, beta3: 1 } as any)).toThrow(/Adam option 'beta3'.*learningRate, beta1, beta2, epsilon/);
  });
});
