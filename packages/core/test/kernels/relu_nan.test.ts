/** The fused kernels' 'relu' passes NaN through, as tf.relu and the wasm kernel (f32x4.max propagates NaN) do. */
import { getKernelActivation } from '../../src';

describe("kernel activation 'relu' with NaN", () => {
  it('fn, applyInPlace and applyTo keep NaN (a diverged state stays visible instead of becoming 0)', () => {
    const act = getKernelActivation('relu');
    expect(act.fn(NaN)).toBeNaN();
    const buf = Float32Array.from([NaN, -2, 3]);
    act.applyInPlace(buf, 0, 3);
    expect(buf[0]).toBeNaN();
    expect(Array.from(buf.slice(1))).toEqual([0, 3]);
    const dst = new Float32Array(3);
    act.applyTo(Float32Array.from([-1, NaN, 4]), 0, dst, 0, 3);
    expect(dst[1]).toBeNaN();
    expect([dst[0], dst[2]]).toEqual([0, 4]);
  });
});
