/**
 * The names a tfjs user types in `tf.layers`, `tf.data`, `tf.util` and `tf.signal` exist in ours with tfjs's kind
 * (class or function) and, for the util helpers, tfjs 4.22's answers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../src';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('tf.layers', () => {
  it('RNN and RNNCell are classes (as in tfjs), input the symbolic-input function', () => {
    for (const name of ['RNN', 'RNNCell', 'input'] as const) expect(typeof tf.layers[name]).toBe(typeof tfjs.layers[name]);
    const rnn = new tf.layers.RNN({ cell: tf.layers.lstmCell({ units: 3 }), returnSequences: true });
    expect(rnn).toBeInstanceOf(tf.layers.Layer);
    const x = tf.layers.input({ shape: [5, 2] });
    expect(x.shape).toEqual([null, 5, 2]);
    expect((rnn.apply(x) as tf.SymbolicTensor).shape).toEqual([null, 5, 3]);
    expect(tf.layers.lstmCell({ units: 2 })).toBeInstanceOf(tf.layers.RNNCell);
  });
});

describe('tf.data', () => {
  it('Dataset, CSVDataset and TextLineDataset are the classes the constructors return', async () => {
    expect(tf.data.array([1, 2])).toBeInstanceOf(tf.data.Dataset);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h8-textline-'));
    const file = path.join(dir, 'corpus.txt');
    fs.writeFileSync(file, 'the cat\nsat on\r\nthe mat\n');
    expect(tf.data.csv(file)).toBeInstanceOf(tf.data.CSVDataset);
    const lines = new tf.data.TextLineDataset(file);
    expect(lines).toBeInstanceOf(tf.data.Dataset);
    expect(await lines.toArray()).toEqual(['the cat', 'sat on', 'the mat']);
    expect(await lines.map((s) => s.length).toArray()).toEqual([7, 6, 7]);
    expect(() => new tf.data.TextLineDataset('')).toThrow(/TextLineDataset: source must be a file path or URL string, received string/);
    for (const name of ['Dataset', 'CSVDataset', 'TextLineDataset'] as const) expect(typeof tfjs.data[name]).toBe('function');
  });
});

describe('tf.util', () => {
  const samples: unknown[] = [0, NaN, '1', new String('s'), true, false, null, undefined, () => 1, class {}, [], {}];
  it.each(['isNumber', 'isString', 'isBoolean', 'isFunction'] as const)('%s answers as tfjs', (name) => {
    const ours = tf.util[name] as (v: unknown) => boolean;
    const theirs = tfjs.util[name] as (v: unknown) => boolean;
    expect(samples.map((v) => ours(v))).toEqual(samples.map((v) => theirs(v as never)));
  });
  it('isInt and clamp as tfjs; fetch is the global fetch', async () => {
    for (const v of [3, 3.5, -2, 0]) expect(tf.util.isInt(v)).toBe(tfjs.util.isInt(v));
    for (const x of [-5, 0.5, 9]) expect(tf.util.clamp(0, x, 1)).toBe(tfjs.util.clamp(0, x, 1));
    const saved = globalThis.fetch;
    const calls: unknown[] = [];
    globalThis.fetch = ((...args: unknown[]) => {
      calls.push(args);
      return Promise.resolve(new Response('ok'));
    }) as typeof fetch;
    try {
      expect(await (await tf.util.fetch('http://example.test/a', { method: 'GET' })).text()).toBe('ok');
      expect(calls).toEqual([['http://example.test/a', { method: 'GET' }]]);
    } finally {
      globalThis.fetch = saved;
    }
  });
});

describe('tf.data in type positions, as tfjs users write it', () => {
  it('data.Dataset<T> is a type as well as the class', async () => {
    const ds: tf.data.Dataset<number> = tf.data.array([1, 2, 3]);
    const lines = (d: tf.data.Dataset<string>): tf.data.Dataset<number> => d.map((s) => s.length);
    expect(await lines(tf.data.array(['ab', 'c'])).toArray()).toEqual([2, 1]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
  });
});
