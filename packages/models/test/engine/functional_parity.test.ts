/**
 * Functional models against tfjs: the same graphs built in both libraries (encoder–decoder passing LSTM states,
 * two inputs merged with concatenate, two outputs with two losses, one LSTM shared by two inputs, a Bidirectional
 * whose states start a decoder, Embedding maskZero through a Bidirectional into TimeDistributed), the same
 * weights (copied in tfjs's getWeights order, which checks our layer order) and data: predict agrees within
 * 1e-5, and a few epochs of fit (sgd and adam, no shuffle) give the same weights (1e-4 relative) and the same
 * total and per-output losses.
 */
import * as tf from '@tensorflow/tfjs';
import { CASES } from './functional_cases';
import { copyWeights, expectHistoryClose, expectMoved, expectWeightsClose, optimizers, snapshot, worstRatio } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arg = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0] : list);

describe.each(CASES)('%s', (_name, build) => {
  test('predict agrees with tfjs within 1e-5', () => {
    const b = build();
    copyWeights(b.theirs, b.ours);
    const tOut = b.theirs.predict(arg(b.xs.map((x) => x.t))) as tf.Tensor | tf.Tensor[];
    const rOut = b.ours.predict(arg(b.xs.map((x) => x.r)));
    const tl = Array.isArray(tOut) ? tOut : [tOut];
    const rl = Array.isArray(rOut) ? rOut : [rOut];
    expect(rl.length).toBe(tl.length);
    tl.forEach((t, i) => {
      expect(rl[i].shape).toEqual(t.shape);
      expect(worstRatio(rl[i].dataSync(), t.dataSync(), 0, 1e-5)).toBeLessThanOrEqual(1);
    });
  });

  test.each(['sgd', 'adam'] as const)('%s: fit gives the same weights and losses as tfjs', async (opt) => {
    const b = build();
    copyWeights(b.theirs, b.ours);
    const initial = snapshot(b.theirs);
    const o = optimizers(opt);
    b.theirs.compile({ optimizer: o.t, loss: b.losses.length === 1 ? b.losses[0] : b.losses });
    b.ours.compile({ optimizer: o.r, loss: b.losses.length === 1 ? b.losses[0] : b.losses });
    const args = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 };
    const th = await b.theirs.fit(arg(b.xs.map((x) => x.t)), arg(b.ys.map((y) => y.t)), args);
    const oh = await b.ours.fit(arg(b.xs.map((x) => x.r)), arg(b.ys.map((y) => y.r)), args);
    const keys = ['loss', ...(b.losses.length > 1 ? b.ours.outputNames.map((n) => `${n}_loss`) : [])];
    expect(b.ours.metricsNames).toEqual(keys);
    expectHistoryClose(th.history as never, oh.history, keys);
    expectWeightsClose(b.theirs, b.ours);
    expectMoved(initial, b.ours);
  });
});
