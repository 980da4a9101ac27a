/**
 * initialState given to a recurrent layer applied to symbolic inputs (a functional model being built, as in
 * tfjs-examples date-conversion-attention) is checked at apply time, as tfjs does: the number of states and each
 * state's last dimension against the cell's state sizes. It used to pass silently and fail only at predict.
 */
import * as tf from '@tensorflow/tfjs';
import { input, layers } from '@recurrent/layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('a wrong number of states or a wrong state size is refused at apply, as tfjs refuses it', () => {
  const cases: Array<[string, (L: typeof layers | typeof tf.layers, x: unknown, s: unknown) => unknown, RegExp]> = [
    [
      'LSTM with one state',
      (L, x, s) => L.lstm({ units: 2 }).apply(x as never, { initialState: [s] } as never),
      /Layer lstm\w*: initialState expects 2 state tensor\(s\) of shapes \[null,2\], \[null,2\], received 1\./,
    ],
    [
      'GRU with two states',
      (L, x, s) => L.gru({ units: 2 }).apply(x as never, { initialState: [s, s] } as never),
      /Layer gru\w*: initialState expects 1 state tensor\(s\) of shapes \[null,2\], received 2\./,
    ],
    [
      'LSTM with states of size 7',
      (L, x, s) => L.lstm({ units: 2 }).apply(x as never, { initialState: [s, s] } as never),
      /Layer lstm\w*: initialState\[0\] must have shape \[null,2\] \(\[batch, stateSize\]\), received \[null,7\]\./,
    ],
  ];
  for (const [name, f, message] of cases) {
    expect(() => f(tf.layers, tf.input({ shape: [3, 4] }), tf.input({ shape: [name.includes('size 7') ? 7 : 2] }))).toThrow();
    expect(() => f(layers, input({ shape: [3, 4] }), input({ shape: [name.includes('size 7') ? 7 : 2] }))).toThrow(message);
  }
});

test('right states pass, and the model computes with them', () => {
  const x = input({ shape: [3, 4] });
  const h = input({ shape: [2] });
  const c = input({ shape: [2] });
  const out = layers.lstm({ units: 2 }).apply(x, { initialState: [h, c] });
  expect((out as { shape: unknown }).shape).toEqual([null, 2]);
});
