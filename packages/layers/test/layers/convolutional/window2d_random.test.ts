/**
 * The 2-D window layers against tfjs 4.22 (cpu) over randomized configurations (fast-check): Conv2D (strides,
 * dilation, 'same' with even kernels, useBias, activations), MaxPooling2D / AveragePooling2D (strides ≠ poolSize,
 * windows larger than the input with 'same'), and max pooling over tied values with overlapping windows.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { randomNormal, round, mul, tensor } from '@recurrent/core';
import { AveragePooling2D, Conv2D, MaxPooling2D, resetNameCounters } from '@recurrent/layers';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const dim = fc.integer({ min: 1, max: 7 });
const shapeArb = fc.tuple(fc.integer({ min: 1, max: 2 }), dim, dim, fc.integer({ min: 1, max: 3 }));
const pair = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }));

/** 'valid' output size; a config whose window does not fit is left out of the 'valid' cases. */
const fits = (n: number, k: number, d: number) => n - (k - 1) * d >= 1;

describe('Conv2D against tfjs over random configurations', () => {
  it('values, input gradients and weight gradients agree', () => {
    fc.assert(
      fc.property(
        shapeArb,
        pair(1, 4),
        pair(1, 3),
        pair(1, 2),
        fc.constantFrom('valid', 'same'),
        fc.boolean(),
        fc.constantFrom('linear', 'relu', 'tanh', 'sigmoid', 'elu'),
        fc.integer({ min: 1, max: 3 }),
        (shape, kernel, strides0, dilation0, padding, useBias, activation, filters) => {
          // tfjs refuses strides > 1 with dilation > 1: one of them is 1 per axis pair.
          const dilated = dilation0.some((d) => d > 1);
          const strides = dilated ? [1, 1] : strides0;
          const dilation = dilation0;
          if (padding === 'valid' && !(fits(shape[1], kernel[0], dilation[0]) && fits(shape[2], kernel[1], dilation[1]))) return;
          resetNameCounters();
          const args = {
            filters,
            kernelSize: kernel,
            strides,
            dilationRate: dilation,
            padding,
            useBias,
            activation,
            biasInitializer: 'randomNormal',
          } as any;
          const x = randomNormal(shape, 0, 1, 'float32', 3);
          // tfjs has no gradient for dilated convolution.
          expectTfjsParity(new Conv2D(args), tf.layers.conv2d(args), x, { gradients: !dilated, tol: 2e-5 });
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('2-D pooling against tfjs over random configurations', () => {
  it('max pooling: values and input gradients (also over tied values with overlapping windows)', () => {
    fc.assert(
      fc.property(
        shapeArb,
        pair(1, 4),
        pair(1, 4),
        fc.constantFrom('valid', 'same'),
        fc.boolean(),
        (shape, pool, strides, padding, ties) => {
          if (padding === 'valid' && !(fits(shape[1], pool[0], 1) && fits(shape[2], pool[1], 1))) return;
          resetNameCounters();
          const r = randomNormal(shape, 0, 1, 'float32', 4);
          // Ties: values rounded to {-1, 0, 1}, so most windows hold several equal maxima.
          const x = ties ? round(mul(r, tensor(0.7))) : r;
          const args = { poolSize: pool, strides, padding } as any;
          expectTfjsParity(new MaxPooling2D(args), tf.layers.maxPooling2d(args), x);
        },
      ),
      { numRuns: 80, seed: 12 },
    );
  });

  it('average pooling: values (and gradients with valid padding, where tfjs divides as its forward)', () => {
    fc.assert(
      fc.property(shapeArb, pair(1, 4), pair(1, 4), fc.constantFrom('valid', 'same'), (shape, pool, strides, padding) => {
        if (padding === 'valid' && !(fits(shape[1], pool[0], 1) && fits(shape[2], pool[1], 1))) return;
        resetNameCounters();
        const x = randomNormal(shape, 0, 1, 'float32', 5);
        const args = { poolSize: pool, strides, padding } as any;
        expectTfjsParity(new AveragePooling2D(args), tf.layers.averagePooling2d(args), x, { gradients: padding === 'valid' });
      }),
      { numRuns: 80, seed: 13 },
    );
  });
});
