import { customGrad, mul, Tensor, tensor } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';

describe('checkGradients (the shared finite-difference helper)', () => {
  it('accepts a correct gradient and reports the numeric one', () => {
    const x = [1, -2, 3];
    const report = checkGradients((t: Tensor) => mul(t, t), [tensor(x)]);
    // dL/dx = 2x·w with weights w in [0.5, 1.5)
    x.forEach((v, i) => {
      const w = report.numeric[0][i] / (2 * v);
      expect(w).toBeGreaterThanOrEqual(0.5);
      expect(w).toBeLessThan(1.5);
      expect(report.analytic[0][i]).toBeCloseTo(report.numeric[0][i], 2);
    });
  });

  it('rejects a wrong gradient, naming the input and element', () => {
    const wrong = customGrad((x: Tensor) => ({ value: mul(x, x), gradFunc: (dy: Tensor) => mul(dy, mul(x, 3)) }));
    expect(() => checkGradients((x: Tensor) => wrong(x) as Tensor, [tensor([[1, 2]])])).toThrow(
      /input 0 \[0,0\]: analytic [\d.]+ vs numeric [\d.]+/,
    );
  });

  it('randomInput is seeded and within range', () => {
    const a = randomInput([4, 5], 7, -2, 2).dataSync();
    expect(Array.from(a)).toEqual(Array.from(randomInput([4, 5], 7, -2, 2).dataSync()));
    expect(Math.max(...a)).toBeLessThan(2);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-2);
  });
});
