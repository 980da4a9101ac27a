/**
 * Sequential structure: add/build and shape checks, weights in tfjs order, getLayer, summary (against
 * tfjs's printed table), masks threaded between layers, training flag, stateful layers, nesting.
 */
import * as tf from '@tensorflow/tfjs';
import { concat, setSeed, tensor, tensor2d, tensor3d, Tensor, zeros } from '@recurrent/core';
import { input, layers } from '@recurrent/layers';
import { sequential, train } from '@recurrent/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: Tensor, b: ArrayLike<number>, tol = 1e-5): void {
  const v = a.dataSync();
  expect(v.length).toBe(b.length);
  for (let i = 0; i < v.length; i++) expect(Math.abs(v[i] - b[i])).toBeLessThanOrEqual(tol);
}

describe('add and build', () => {
  test('a first layer with inputShape builds every layer at add time', () => {
    const m = sequential();
    m.add(layers.dense({ units: 4, inputShape: [3] }));
    expect(m.built).toBe(true);
    m.add(layers.dense({ units: 2 }));
    expect(m.layers.map((l) => l.built)).toEqual([true, true]);
    expect(m.inputShape).toEqual([null, 3]);
    expect(m.outputShape).toEqual([null, 2]);
    expect(m.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
  });

  test('without an input shape, the model builds on its first call from the data', () => {
    const m = sequential({ layers: [layers.dense({ units: 4 }), layers.dense({ units: 1 })] });
    expect(m.built).toBe(false);
    expect(() => m.summary()).toThrow(/never been called/);
    expect(() => m.countParams()).toThrow(/built/);
    const y = m.predict(zeros([5, 7]));
    expect(y.shape).toEqual([5, 1]);
    expect(m.built).toBe(true);
    expect(m.inputShape).toEqual([null, 7]);
    expect(m.countParams()).toBe(7 * 4 + 4 + 4 + 1);
  });

  test('incompatible layers are rejected at add, naming both layers and the shape', () => {
    const m = sequential();
    m.add(layers.dense({ units: 4, inputShape: [3], name: 'proj' }));
    expect(() => m.add(layers.lstm({ units: 2, name: 'rnn' }))).toThrow(
      /cannot connect layer 'rnn' \(LSTM\) after layer 'proj' \(Dense\), whose output shape is \[null,4\].*expected ndim=3, found ndim=2/,
    );
    expect(m.layers.length).toBe(1);
    const m2 = sequential();
    m2.add(layers.lstm({ units: 2, inputShape: [5, 3], name: 'enc' }));
    m2.add(layers.dense({ units: 3, name: 'head' }));
    // A Dense built for 3 inputs cannot follow a layer with 2 outputs.
    const built = layers.dense({ units: 1, name: 'used' });
    built.apply(zeros([1, 5]));
    expect(() => m2.add(built)).toThrow(/'used'.*after layer 'head'.*\[null,3\].*axis -1.*value 5/);
  });

  test('a layer that does not accept the model input is rejected naming the input shape', () => {
    const m = sequential();
    expect(() => m.add(layers.lstm({ units: 2, inputShape: [3], name: 'rnn' }))).toThrow(
      /layer 'rnn' \(LSTM\) cannot take the model input of shape \[null,3\].*expected ndim=3/,
    );
  });

  test('add rejects non-layers, repeated layers and duplicate names', () => {
    const m = sequential();
    const d = layers.dense({ units: 2, inputShape: [2], name: 'a' });
    m.add(d);
    expect(() => m.add({} as never)).toThrow(/add\(\) expects a layer/);
    expect(() => m.add(d)).toThrow(/already in the model/);
    expect(() => m.add(layers.dense({ units: 2, name: 'a' }))).toThrow(/unique names; 'a'/);
  });

  test("Keras 3's Sequential([keras.Input(shape), ...]) and model.add(keras.Input(shape)): input() starts the stack", () => {
    // keras.io's text generation and addition examples start their Sequential models this way; it was refused
    // ('add() expects a layer ..., received object').
    const a = sequential({ layers: [input({ shape: [5, 3] }), layers.lstm({ units: 2 }), layers.dense({ units: 1 })] });
    const b = sequential();
    b.add(input({ shape: [5, 3] }));
    b.add(layers.lstm({ units: 2 }));
    b.add(layers.dense({ units: 1 }));
    const c = sequential({ layers: [layers.inputLayer({ inputShape: [5, 3] }), layers.lstm({ units: 2 }), layers.dense({ units: 1 })] });
    for (const m of [a, b]) {
      expect(m.layers.map((l) => l.getClassName())).toEqual(c.layers.map((l) => l.getClassName()));
      expect(m.inputs[0].shape).toEqual([null, 5, 3]);
      expect(m.outputs[0].shape).toEqual([null, 1]);
      m.setWeights(c.getWeights());
      const x = tensor3d(
        Array.from({ length: 30 }, (_, i) => Math.sin(i)),
        [2, 5, 3],
      );
      expect(Array.from((m.predict(x) as Tensor).dataSync())).toEqual(Array.from((c.predict(x) as Tensor).dataSync()));
    }
    // Only an input() starts a stack: another layer's output, or an input() after the first layer, is refused.
    const d = layers.dense({ units: 2, name: 'dd' });
    const out = d.apply(input({ shape: [3] }));
    expect(() => sequential().add(out as never)).toThrow(
      /^Sequential sequential_\d+: add\(\) takes a SymbolicTensor only from input\(\), to start the model; received the output of layer 'dd' \(Dense\) after 0 layer\(s\) \(model\(\{inputs, outputs\}\) builds other graphs\)\.$/,
    );
    expect(() => b.add(input({ shape: [1], name: 'late' }))).toThrow(
      /received the output of layer 'late' \(InputLayer\) after 3 layer\(s\)/,
    );
  });

  test('pop removes the last layer', () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [2] }), layers.dense({ units: 3 })] });
    m.pop();
    expect(m.outputShape).toEqual([null, 2]);
  });

  test('getLayer by name and by index, as tfjs', () => {
    const a = layers.dense({ units: 2, inputShape: [2], name: 'first' });
    const b = layers.dense({ units: 1, name: 'second' });
    const m = sequential({ layers: [a, b] });
    expect(m.getLayer('second')).toBe(b);
    expect(m.getLayer(undefined, 0)).toBe(a);
    expect(m.getLayer(1)).toBe(b);
    expect(() => m.getLayer('third')).toThrow(/no layer named 'third'; layers: first, second/);
    expect(() => m.getLayer(undefined, 2)).toThrow(/index 2 is out of range; the model has 2 layer/);
  });

  test('a Sequential model can be a layer of another', () => {
    const inner = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], activation: 'tanh' })] });
    const outer = sequential();
    outer.add(inner);
    outer.add(layers.dense({ units: 1 }));
    expect(outer.outputShape).toEqual([null, 1]);
    expect(outer.getWeights().length).toBe(4);
    const x = tensor2d([[1, 2]]);
    const expected = outer.getLayer(1).apply(inner.predict(x)) as Tensor;
    close(outer.predict(x), expected.dataSync());
  });
});

describe('weights', () => {
  test('getWeights lists all trainable weights first, then the non-trainable ones (tfjs order)', () => {
    const theirs = tf.sequential({
      layers: [
        tf.layers.dense({ units: 3, inputShape: [2], name: 'frozen', trainable: false }),
        tf.layers.dense({ units: 4, name: 'mid' }),
        tf.layers.dense({ units: 1, name: 'out' }),
      ],
    });
    const ours = sequential({
      layers: [
        layers.dense({ units: 3, inputShape: [2], name: 'frozen', trainable: false }),
        layers.dense({ units: 4, name: 'mid' }),
        layers.dense({ units: 1, name: 'out' }),
      ],
    });
    expect(ours.weights.map((w) => w.originalName)).toEqual(theirs.weights.map((w) => w.originalName));
    expect(ours.getWeights().map((w) => w.shape)).toEqual(theirs.getWeights().map((w) => w.shape));
    expect(ours.trainableWeights.map((w) => w.originalName)).toEqual(['mid/kernel', 'mid/bias', 'out/kernel', 'out/bias']);
    expect(ours.nonTrainableWeights.map((w) => w.originalName)).toEqual(['frozen/kernel', 'frozen/bias']);
  });

  test('setWeights round-trips and rejects a wrong count or shape', () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] }), layers.dense({ units: 1 })] });
    const ws = m.getWeights().map((w, i) =>
      tensor(
        Array.from({ length: w.size }, (_, k) => i + k / 10),
        w.shape,
      ),
    );
    m.setWeights(ws);
    m.getWeights().forEach((w, i) => close(w, ws[i].dataSync(), 0));
    expect(() => m.setWeights(ws.slice(1))).toThrow(/given 3 weight\(s\) but the layer has 4/);
    expect(() => m.setWeights([ws[1], ws[0], ws[2], ws[3]])).toThrow(/has shape \[3,2\].*received a value of shape \[2\]/);
  });

  test('a frozen model (trainable = false) is not updated by fit', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    m.trainable = false;
    const before = m.getWeights().map((w) => Float32Array.from(w.dataSync()));
    await m.fit(tensor2d([[1, 2]]), tensor2d([[5]]), { verbose: 0, epochs: 2 });
    m.getWeights().forEach((w, i) => close(w, before[i], 0));
    expect(m.trainableWeights).toEqual([]);
    expect(m.nonTrainableWeights.length).toBe(2);
  });
});

describe('summary', () => {
  function collect(
    model: { summary: (l?: number, p?: number[], f?: (s: string) => void) => void },
    lineLength?: number,
    positions?: number[],
  ): string[] {
    const lines: string[] = [];
    model.summary(lineLength, positions, (s: string) => lines.push(s));
    return lines;
  }

  test('prints the same table as tfjs (names, shapes, params, trainable/non-trainable totals)', () => {
    const theirs = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 4, inputShape: [6, 3], returnSequences: true, name: 'encoder_lstm_with_a_long_name' }),
        tf.layers.gru({ units: 2, name: 'gru', trainable: false }),
        tf.layers.dense({ units: 5, name: 'head', activation: 'softmax' }),
      ],
    });
    const ours = sequential({
      layers: [
        layers.lstm({ units: 4, inputShape: [6, 3], returnSequences: true, name: 'encoder_lstm_with_a_long_name' }),
        layers.gru({ units: 2, name: 'gru', trainable: false, resetAfter: false }),
        layers.dense({ units: 5, name: 'head', activation: 'softmax' }),
      ],
    });
    expect(collect(ours)).toEqual(collect(theirs as never));
    expect(collect(ours, 70)).toEqual(collect(theirs as never, 70));
    expect(collect(ours, 100, [40, 60, 80, 100])).toEqual(collect(theirs as never, 100, [40, 60, 80, 100]));
    expect(collect(ours)).toContain('Non-trainable params: 42');
  });

  test('defaults to console.log', () => {
    const spy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] }).summary();
    expect(spy).toHaveBeenCalledWith('Total params: 2');
    spy.mockRestore();
  });
});

describe('calling', () => {
  test('masks flow from Embedding(maskZero) through LSTM: padding does not change the output', () => {
    setSeed(3);
    const m = sequential({
      layers: [
        layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [null] }),
        layers.lstm({ units: 3 }),
        layers.dense({ units: 2 }),
      ],
    });
    const short = m.predict(tensor2d([[4, 2, 7]], [1, 3], 'int32'));
    const padded = m.predict(tensor2d([[4, 2, 7, 0, 0]], [1, 5], 'int32'));
    close(padded, short.dataSync(), 1e-6);
  });

  test('masks from Masking reach the recurrent layer, as tfjs (same weights, same outputs)', () => {
    const theirs = tf.sequential({
      layers: [tf.layers.masking({ maskValue: 0, inputShape: [4, 2] }), tf.layers.simpleRNN({ units: 3, returnSequences: true })],
    });
    const ours = sequential({
      layers: [layers.masking({ maskValue: 0, inputShape: [4, 2] }), layers.simpleRNN({ units: 3, returnSequences: true })],
    });
    ours.setWeights(theirs.getWeights().map((w) => tensor(w.dataSync() as Float32Array, w.shape)));
    const xv = [0.5, -1, 0, 0, 0.3, 0.2, 0, 0, 0, 0, 1, 1, -0.4, 0.9, 0, 0];
    const t = (theirs.predict(tf.tensor3d(xv, [2, 4, 2])) as tf.Tensor).dataSync();
    close(ours.predict(tensor3d(xv, [2, 4, 2])), t, 1e-5);
  });

  test('dropout is active only when training', () => {
    const m = sequential({
      layers: [layers.dense({ units: 8, inputShape: [4], kernelInitializer: 'ones' }), layers.dropout({ rate: 0.5, seed: 1 })],
    });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tensor2d([[1, 2, 3, 4]]);
    const y = zeros([1, 8]);
    const inference = m.predict(x).dataSync();
    expect(Array.from(inference)).toEqual(new Array(8).fill(10));
    expect(m.trainingLoss(x, y, null, false).dataSync()[0]).toBeCloseTo(100, 4);
    // With dropout 0.5 surviving units are scaled to 20 and the others are 0: mean of squares is 400·(kept fraction).
    const trained = m.trainingLoss(x, y, null, true).dataSync()[0];
    expect(trained).not.toBeCloseTo(100, 1);
    expect(trained % 50).toBeCloseTo(0, 3);
  });

  test('stateful layers keep their state across calls until resetStates()', () => {
    setSeed(5);
    const m = sequential({
      layers: [layers.simpleRNN({ units: 2, batchInputShape: [1, 3, 1], stateful: true }), layers.dense({ units: 1 })],
    });
    expect(m.stateful).toBe(true);
    const x = tensor3d([1, 0.5, -1], [1, 3, 1]);
    const a = m.predict(x).dataSync()[0];
    const b = m.predict(x).dataSync()[0];
    expect(b).not.toBeCloseTo(a, 6);
    m.resetStates();
    expect(m.predict(x).dataSync()[0]).toBeCloseTo(a, 6);
    // Two calls on halves equal one call on the whole sequence after a reset.
    m.resetStates();
    const x2 = tensor3d([0.2, 0.1, 0.7], [1, 3, 1]);
    m.predict(x);
    const split = m.predict(x2).dataSync()[0];
    const whole = sequential({ layers: [layers.simpleRNN({ units: 2, inputShape: [6, 1] }), layers.dense({ units: 1 })] });
    whole.setWeights(m.getWeights());
    expect(whole.predict(concat([x, x2], 1)).dataSync()[0]).toBeCloseTo(split, 5);
  });

  test('a stateful layer after an input layer with a batch size (tfjs inputLayer({batchInputShape}), Keras input({batchShape})) takes it', () => {
    // Both were refused: 'a stateful RNN needs a fixed batch size; pass batchInputShape'.
    const declared = sequential({
      layers: [layers.simpleRNN({ units: 2, batchInputShape: [2, 3, 1], stateful: true }), layers.dense({ units: 1 })],
    });
    const x = tensor3d([1, 0.5, -1, 0.3, 0.2, -0.4], [2, 3, 1]);
    for (const first of [layers.inputLayer({ batchInputShape: [2, 3, 1] }), input({ batchShape: [2, 3, 1] })]) {
      const m = sequential({ layers: [first, layers.simpleRNN({ units: 2, stateful: true }), layers.dense({ units: 1 })] });
      expect(m.stateful).toBe(true);
      m.setWeights(declared.getWeights());
      declared.resetStates();
      for (let call = 0; call < 3; call++) expect(Array.from(m.predict(x).dataSync())).toEqual(Array.from(declared.predict(x).dataSync()));
      m.resetStates();
      declared.resetStates();
      expect(Array.from(m.predict(x).dataSync())).toEqual(Array.from(declared.predict(x).dataSync()));
      expect(() => m.predict(tensor3d([1, 2, 3], [1, 3, 1]))).toThrow(/expects shape \[2,3,1\], received \[1,3,1\]/);
    }
  });

  test('predict batches give the same result as one call, and predictOnBatch is one call', () => {
    setSeed(1);
    const m = sequential({ layers: [layers.lstm({ units: 3, inputShape: [4, 2] }), layers.dense({ units: 2 })] });
    const x = tensor(
      Array.from({ length: 10 * 8 }, (_, i) => Math.sin(i)),
      [10, 4, 2],
    );
    const whole = m.predictOnBatch(x);
    close(m.predict(x, { batchSize: 3 }), whole.dataSync(), 1e-6);
    expect(m.predict([x]).shape).toEqual([10, 2]);
  });
});

describe('compile', () => {
  test('names and instances resolve; metricsNames are the log keys', () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    m.compile({ optimizer: train.adam(0.1), loss: 'categoricalCrossentropy', metrics: ['accuracy', 'mse'] });
    expect(m.metricsNames).toEqual(['loss', 'acc', 'mse']); // tfjs logs 'accuracy' as 'acc'
    expect(m.optimizer.getClassName()).toBe('Adam');
    m.compile({ optimizer: 'rmsprop', loss: ['meanSquaredError'], metrics: 'mae' });
    expect(m.metricsNames).toEqual(['loss', 'mae']);
    expect(m.loss).toEqual(['meanSquaredError']); // as given, as tfjs's model.loss
  });

  test('unknown optimizer, loss or metric names throw at compile, naming them', () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => m.compile({ optimizer: 'sgdd', loss: 'meanSquaredError' })).toThrow(/compile: .*unknown optimizer 'sgdd'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'meanSquareError' })).toThrow(/compile: .*unknown loss 'meanSquareError'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] })).toThrow(/compile: .*unknown metric 'acuracy'/);
    // compile({optimizer}) without a loss is allowed, as Keras 3 (layers may add the loss; add_loss.test.ts).
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', lr: 0.1 } as never)).toThrow(/unknown option 'lr'/);
    expect(m.compiled).toBe(false);
  });
});
