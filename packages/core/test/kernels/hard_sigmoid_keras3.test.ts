/**
 * The kernels' 'hardSigmoidKeras3' entry: Keras 3's hard_sigmoid relu6(x + 3) / 6, which differs from
 * tfjs's / Keras 2's 'hardSigmoid' clip(0.2·x + 0.5, 0, 1). Values and derivatives against the formula.
 */
import { getKernelActivation, KERNEL_ACTIVATION_NAMES } from '../../src';

const keras3 = (x: number): number => Math.min(6, Math.max(0, x + 3)) / 6;

describe("kernel activation 'hardSigmoidKeras3'", () => {
  const act = getKernelActivation('hardSigmoidKeras3');
  const xs = [-10, -3.5, -3, -2.9, -1, -0.25, 0, 0.4, 1.5, 2.99, 3, 4, 100];

  it('is listed and computes relu6(x + 3) / 6', () => {
    expect(KERNEL_ACTIVATION_NAMES).toContain('hardSigmoidKeras3');
    expect(act.name).toBe('hardSigmoidKeras3');
    for (const x of xs) expect(act.fn(x)).toBeCloseTo(keras3(x), 12);
    // Hand-worked values: f(-1) = 2/6, f(1.5) = 4.5/6 = 0.75; tfjs's 'hardSigmoid' gives 0.3 and 0.8 there.
    expect(act.fn(-1)).toBeCloseTo(1 / 3, 12);
    expect(act.fn(1.5)).toBeCloseTo(0.75, 12);
    expect(getKernelActivation('hardSigmoid').fn(1.5)).toBeCloseTo(0.8, 12);
  });

  it('derivative from the output: 1/6 strictly inside (0, 1), 0 where clipped (matches central differences)', () => {
    for (const x of xs) {
      const y = act.fn(x);
      const eps = 1e-6;
      const numeric = (keras3(x + eps) - keras3(x - eps)) / (2 * eps);
      if (Math.abs(Math.abs(x) - 3) > 1e-3) expect(act.derivFromOutput(y)).toBeCloseTo(numeric, 6);
    }
    expect(act.derivFromOutput(0)).toBe(0);
    expect(act.derivFromOutput(1)).toBe(0);
    expect(act.derivFromOutput(0.5)).toBeCloseTo(1 / 6, 15);
  });

  it('array helpers agree with fn and derivFromOutput', () => {
    const src = Float32Array.from(xs);
    const buf = Float32Array.from([99, ...xs]);
    act.applyInPlace(buf, 1, xs.length);
    const dst = new Float32Array(xs.length + 2);
    act.applyTo(src, 0, dst, 2, xs.length);
    const g = new Float32Array(xs.length).fill(3);
    act.scaleByDerivative(buf, 1, g, 0, xs.length);
    expect(buf[0]).toBe(99);
    xs.forEach((x, i) => {
      expect(buf[1 + i]).toBeCloseTo(keras3(x), 6);
      expect(dst[2 + i]).toBeCloseTo(keras3(x), 6);
      const y = buf[1 + i];
      expect(g[i]).toBeCloseTo(y > 0 && y < 1 ? 0.5 : 0, 6);
    });
  });
});
