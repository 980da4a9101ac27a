import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { Constraint, constraints, deserialize, getConstraint, MaxNorm, serializeConstraint } from '@recurrent/layers';

describe('constraints', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const w = [
    [3, -0.5, 0.1],
    [4, 0.25, -0.2],
  ];

  it.each([
    ['maxNorm', { maxValue: 2, axis: 0 }],
    ['maxNorm', { maxValue: 1, axis: 1 }],
    ['unitNorm', { axis: 0 }],
    ['unitNorm', { axis: 1 }],
    ['nonNeg', {}],
    ['minMaxNorm', { minValue: 0.5, maxValue: 1, rate: 0.7, axis: 0 }],
    ['minMaxNorm', { minValue: 2, maxValue: 3, axis: 1 }],
    // tfjs's defaults (maxNorm 2 on axis 0, unitNorm axis 0, minMaxNorm 0..1 rate 1 axis 0).
    ['maxNorm', {}],
    ['unitNorm', {}],
    ['minMaxNorm', {}],
  ] as const)('%s %j matches tfjs', (name, args) => {
    const ours = (constraints[name] as (a: object) => Constraint)(args).apply(tensor(w)).dataSync();
    const theirs = (tf.constraints[name] as (a: object) => { apply(x: tf.Tensor): tf.Tensor })(args).apply(tf.tensor(w)).dataSync();
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i] - theirs[i])).toBeLessThanOrEqual(1e-6);
  });

  it('maxNorm rescales columns above maxValue to it (hand-worked)', () => {
    // Column 0 = [3, 4] has norm 5 → scaled to norm 2: [1.2, 1.6]; the other columns are below 2 and stay.
    const out = constraints.maxNorm({ maxValue: 2 }).apply(tensor(w)).arraySync() as number[][];
    expect(out[0][0]).toBeCloseTo(1.2, 5);
    expect(out[1][0]).toBeCloseTo(1.6, 5);
    expect(out[0][1]).toBeCloseTo(-0.5, 5);
  });

  it('class names, configs, lookup and errors', () => {
    expect(serializeConstraint(constraints.maxNorm())).toEqual({ className: 'MaxNorm', config: { maxValue: 2, axis: 0 } });
    expect(serializeConstraint(constraints.unitNorm())).toEqual({ className: 'UnitNorm', config: { axis: 0 } });
    expect(serializeConstraint(constraints.nonNeg())).toEqual({ className: 'NonNeg', config: {} });
    expect(serializeConstraint(constraints.minMaxNorm())).toEqual({
      className: 'MinMaxNorm',
      config: { minValue: 0, maxValue: 1, rate: 1, axis: 0 },
    });
    expect(getConstraint('max_norm')).toBeInstanceOf(MaxNorm);
    expect(deserialize<MaxNorm>({ className: 'MaxNorm', config: { maxValue: 3, axis: 1 } }, 'constraint').maxValue).toBe(3);
    expect(() => getConstraint('positive')).toThrow(
      /Unknown constraint 'positive'. Known constraints: MaxNorm, MinMaxNorm, NonNeg, UnitNorm/,
    );
  });
});
