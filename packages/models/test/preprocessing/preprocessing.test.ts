/** padSequences and timeseriesDataset against Keras's worked semantics (hand-computed tables). */
import { Tensor, tensor, tensor2d } from '@recurrent/core';
import { padSequences, timeseriesDataset } from '../../src/preprocessing';

const rows = (t: Tensor) => {
  const w = t.shape[1];
  const v = Array.from(t.values as ArrayLike<number>);
  return Array.from({ length: t.shape[0] }, (_, i) => v.slice(i * w, (i + 1) * w));
};

describe('padSequences (Keras pad_sequences)', () => {
  const seqs = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9]];
  test('defaults: pad and truncate at the start to the longest, int32', () => {
    const t = padSequences(seqs);
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([4, 4]);
    expect(rows(t)).toEqual([
      [0, 1, 2, 3],
      [0, 0, 4, 5],
      [0, 0, 0, 0],
      [6, 7, 8, 9],
    ]);
  });
  test.each([
    [
      'pre',
      'pre',
      [
        [2, 3],
        [4, 5],
        [0, 0],
        [8, 9],
      ],
    ],
    [
      'post',
      'pre',
      [
        [2, 3],
        [4, 5],
        [0, 0],
        [8, 9],
      ],
    ],
    [
      'pre',
      'post',
      [
        [1, 2],
        [4, 5],
        [0, 0],
        [6, 7],
      ],
    ],
    [
      'post',
      'post',
      [
        [1, 2],
        [4, 5],
        [0, 0],
        [6, 7],
      ],
    ],
  ])('maxlen 2, padding %s, truncating %s', (padding, truncating, expected) => {
    expect(rows(padSequences(seqs, { maxlen: 2, padding: padding as 'pre', truncating: truncating as 'pre' }))).toEqual(expected);
  });
  test('post padding with a value and float dtype; longer maxlen', () => {
    const t = padSequences([[1.5], [2, 3.25]], { maxlen: 3, padding: 'post', value: -1, dtype: 'float32' });
    expect(rows(t)).toEqual([
      [1.5, -1, -1],
      [2, 3.25, -1],
    ]);
  });
  test('int32 truncates fractions toward zero as NumPy does', () => {
    expect(rows(padSequences([[1.7, -2.7]]))).toEqual([[1, -2]]);
  });
  test('empty sequences, maxlen 0, and no sequences', () => {
    expect(padSequences([[], []]).shape).toEqual([2, 0]);
    expect(padSequences([[1, 2], [3]], { maxlen: 0 }).shape).toEqual([2, 0]);
    expect(padSequences([]).shape).toEqual([0, 0]);
  });
  test('sequences of feature vectors give [n, maxlen, features]', () => {
    const t = padSequences(
      [
        [
          [1, 2],
          [3, 4],
        ],
        [[5, 6]],
      ],
      { dtype: 'float32' },
    );
    expect(t.shape).toEqual([2, 2, 2]);
    expect(Array.from(t.values)).toEqual([1, 2, 3, 4, 0, 0, 5, 6]);
  });
  test('bad input names the argument', () => {
    expect(() => padSequences(seqs, { padding: 'middle' as any })).toThrow(
      "padSequences: padding must be 'pre' or 'post', received 'middle'.",
    );
    expect(() => padSequences(seqs, { maxlen: -1 })).toThrow('padSequences: maxlen must be a non-negative integer or null, received -1.');
    expect(() => padSequences([[1], ['a' as any]])).toThrow('padSequences: sequences[1][0] must be a number, received string.');
    expect(() => padSequences([[[1, 2]], [[1, 2, 3]]])).toThrow(
      'padSequences: sequences[1] has steps of shape [3], but earlier sequences have steps of shape [2].',
    );
    expect(() => padSequences(seqs, { maxLen: 3 } as any)).toThrow(/unknown option 'maxLen'/);
  });
  test("dtype 'bool' holds 0/1: nonzero values and a nonzero padding value become 1 (Keras)", () => {
    // Keras 3.15: pad_sequences([[5, 0, 2]], maxlen=4, dtype='bool', value=3) → [[True, True, False, True]].
    const t = padSequences([[5, 0, 2]], { maxlen: 4, dtype: 'bool', value: 3 });
    expect(t.dtype).toBe('bool');
    expect(Array.from(t.values)).toEqual([1, 1, 0, 1]);
    // Feature vectors too: pad_sequences([[[2, 0]]], maxlen=2, dtype='bool') → [[[False, False], [True, False]]].
    expect(Array.from(padSequences([[[2, 0]]], { maxlen: 2, dtype: 'bool' }).values)).toEqual([0, 0, 1, 0]);
  });
});

describe('timeseriesDataset (Keras timeseries_dataset_from_array)', () => {
  const series = Array.from({ length: 20 }, (_, i) => i);
  test('windows and targets against a hand table (stride 3, samplingRate 2)', async () => {
    // Window i starts at 3i and takes steps 3i, 3i+2, 3i+4; its target is targets[3i].
    // numSeqs = 20 - 0 - (3-1)*2 = 16 → starts 0, 3, 6, 9, 12, 15.
    const targets = series.map((v) => v * 10);
    const batches = await timeseriesDataset(series, targets, {
      sequenceLength: 3,
      sequenceStride: 3,
      samplingRate: 2,
      batchSize: 4,
    }).toArray();
    expect(batches.map((b) => b.xs.shape)).toEqual([
      [4, 3],
      [2, 3],
    ]);
    expect([...rows(batches[0].xs), ...rows(batches[1].xs)]).toEqual([
      [0, 2, 4],
      [3, 5, 7],
      [6, 8, 10],
      [9, 11, 13],
      [12, 14, 16],
      [15, 17, 19],
    ]);
    expect([...batches[0].ys.values, ...batches[1].ys.values]).toEqual([0, 30, 60, 90, 120, 150]);
  });
  test('startIndex/endIndex, features, targets shorter than the windows (Keras: predict step t+2)', async () => {
    const data = tensor2d(series.map((v) => [v, -v]));
    // targets = series[2:], so window [t, t+1] has target t+2; startIndex 4 shifts both data and targets.
    const ds = timeseriesDataset(data, series.slice(2), { sequenceLength: 2, startIndex: 4, endIndex: 10, batchSize: null });
    const all = await ds.toArray();
    // numSeqs = 10 - 4 - 1 = 5 → windows start at steps 4..8; targets[4 + p] = 6 + p.
    expect(all.length).toBe(5);
    expect(ds.size).toBe(5);
    expect(all[0].xs.shape).toEqual([2, 2]);
    expect(Array.from(all[0].xs.values)).toEqual([4, -4, 5, -5]);
    expect(all.map((e) => e.ys.values[0])).toEqual([6, 7, 8, 9, 10]);
  });
  test('targets too short for startIndex + window start are refused (Keras fails on the gather), not read as zeros', async () => {
    // Keras 3.15: timeseries_dataset_from_array(arange(10)[:, None], arange(100, 105), sequence_length=1,
    // start_index=2, batch_size=None) yields (2, 102), (3, 103), (4, 104), then raises InvalidArgumentError
    // (GatherV2 out of range) for the window at step 5: numSeqs = min(10 - 2, 5) = 5 windows, targets[2 + p].
    const targets = [100, 101, 102, 103, 104];
    expect(() => timeseriesDataset(series.slice(0, 10), targets, { sequenceLength: 1, startIndex: 2, batchSize: null })).toThrow(
      'timeseriesDataset: targets has 5 steps, but the window starting at step 6 takes its target there (targets[startIndex + p], ' +
        'as Keras); give at least 10 target steps, or a smaller startIndex.',
    );
    // Enough targets (10: the 8 windows of steps 2..9): targets[2..9], as Keras.
    const long = [...targets, 105, 106, 107, 108, 109];
    const ok = await timeseriesDataset(series.slice(0, 10), long, { sequenceLength: 1, startIndex: 2, batchSize: null }).toArray();
    expect(ok.map((e) => e.ys.values[0])).toEqual([102, 103, 104, 105, 106, 107, 108, 109]);
  });
  test('without targets it yields the windows only; shuffle is a seeded permutation of the same windows', async () => {
    const plain = await timeseriesDataset(series, null, { sequenceLength: 5, batchSize: 100 }).toArray();
    expect(plain[0]).toBeInstanceOf(Tensor);
    expect(plain[0].shape).toEqual([16, 5]);
    const a = await timeseriesDataset(series, null, { sequenceLength: 5, batchSize: 100, shuffle: true, seed: 3 }).toArray();
    const b = await timeseriesDataset(series, null, { sequenceLength: 5, batchSize: 100, shuffle: true, seed: 3 }).toArray();
    expect(rows(a[0])).toEqual(rows(b[0]));
    expect(rows(a[0])).not.toEqual(rows(plain[0]));
    expect(rows(a[0]).sort((p, q) => p[0] - q[0])).toEqual(rows(plain[0]));
  });
  test('shuffle reshuffles on every pass (each epoch), as Keras; a seed makes the passes reproducible', async () => {
    // Keras 3 (timeseries_dataset_utils.py) adds dataset.shuffle(batch_size * 8, seed) before batching, and tf.data
    // reshuffles on each iteration, so every epoch sees the windows in a new order.
    const make = () => timeseriesDataset(series, null, { sequenceLength: 5, batchSize: 100, shuffle: true, seed: 11 });
    const ds = make();
    const first = rows((await ds.toArray())[0] as Tensor);
    const second = rows((await ds.toArray())[0] as Tensor);
    expect(second).not.toEqual(first);
    expect([...second].sort((p, q) => p[0] - q[0])).toEqual([...first].sort((p, q) => p[0] - q[0]));
    const again = make();
    expect(rows((await again.toArray())[0] as Tensor)).toEqual(first);
    expect(rows((await again.toArray())[0] as Tensor)).toEqual(second);
  });
  test('bad input', () => {
    expect(() => timeseriesDataset(series, null, { sequenceLength: 30 })).toThrow(
      'timeseriesDataset: no complete window: a window spans 30 steps (sequenceLength 30, samplingRate 1), but steps 0..19 hold 20.',
    );
    expect(() => timeseriesDataset(series, null, { sequenceLength: 0 })).toThrow(
      'timeseriesDataset: sequenceLength must be a positive integer, received 0.',
    );
    expect(() => timeseriesDataset(series, null, { sequenceLength: 2, endIndex: 30 })).toThrow(/endIndex must be an integer in \(0, 20\]/);
    expect(() => timeseriesDataset(series, null, { sequenceLength: 2, seqLength: 2 } as any)).toThrow(/unknown option 'seqLength'/);
    expect(() => timeseriesDataset(tensor(3), null, { sequenceLength: 2 })).toThrow(/data must have a time axis/);
  });
});
