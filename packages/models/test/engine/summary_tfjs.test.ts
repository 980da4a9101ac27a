/**
 * model.summary() of graph models against tfjs's printed table: the Input Shape, Output shape and Param # columns
 * (characters 27–92 at tfjs's default line length 115 and positions) line for line. Layer names are left out
 * (tfjs names layers `lstm_LSTM1`, we `lstm`, as Keras). The case is tfjs-examples date-conversion-attention's
 * decoder: an LSTM called with initialState, whose inputs tfjs lists as [input, ...states].
 */
import * as tf from '@tensorflow/tfjs';
import { input, layers } from '@recurrent/layers';
import { model } from '@recurrent/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The middle columns of every line of a graph summary. */
const middle = (lines: string[]) => lines.map((l) => l.slice(27, 92).trimEnd());

test('an LSTM with initialState lists the states among its input shapes, as tfjs', () => {
  const build = (lib: typeof layers | typeof tf.layers, inp: (a: { shape: number[] }) => unknown, mk: (a: object) => unknown) => {
    const L = lib as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const a = inp({ shape: [4, 3] }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const b = inp({ shape: [6, 2] }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const [, h, c] = L.lstm({ units: 5, returnState: true }).apply(a);
    const dec = L.lstm({ units: 5, returnSequences: true }).apply(b, { initialState: [h, c] });
    const out = L.dense({ units: 2 }).apply(dec);
    return mk({ inputs: [a, b], outputs: out }) as { summary: (l?: number, p?: number[], f?: (s: string) => void) => void };
  };
  const theirs = build(
    tf.layers,
    (x) => tf.input(x),
    (x) => tf.model(x as Parameters<typeof tf.model>[0]),
  );
  const ours = build(
    layers,
    (x) => input(x),
    (x) => model(x as Parameters<typeof model>[0]),
  );
  const t: string[] = [];
  const r: string[] = [];
  theirs.summary(undefined, undefined, (s) => t.push(...s.split('\n')));
  ours.summary(undefined, undefined, (s) => r.push(...s.split('\n')));
  expect(middle(r)).toEqual(middle(t));
  expect(t.some((l) => l.includes('[[null,6,2],[null,5],[null'))).toBe(true); // the column cuts the rest
});
