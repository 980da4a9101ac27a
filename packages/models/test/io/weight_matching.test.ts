import { matchWeights } from '@recurrent/models';

describe('matchWeights', () => {
  it('matches exact names', () => {
    const r = matchWeights(['lstm/kernel', 'lstm/bias'], { 'lstm/bias': 2, 'lstm/kernel': 1 });
    expect(Array.from(r.matched)).toEqual(
      [
        ['lstm/bias', 2],
        ['lstm/kernel', 1],
      ]
        .reverse()
        .sort(),
    );
    expect(r.missing).toEqual([]);
    expect(r.extra).toEqual([]);
  });

  it('drops the cell segment of Keras / TF >= 2.2 names (as tfjs loadWeights)', () => {
    const available = {
      'lstm/lstm_cell/kernel': 'k',
      'lstm/lstm_cell/recurrent_kernel': 'rk',
      'bidirectional/forward_lstm/lstm_cell_1/kernel': 'fk',
      'bidirectional/backward_lstm/lstm_cell_2/kernel': 'bk',
    };
    const r = matchWeights(
      ['lstm/kernel', 'lstm/recurrent_kernel', 'bidirectional/forward_lstm/kernel', 'bidirectional/backward_lstm/kernel'],
      available,
    );
    expect(r.matched.get('lstm/kernel')).toBe('k');
    expect(r.matched.get('bidirectional/forward_lstm/kernel')).toBe('fk');
    expect(r.matched.get('bidirectional/backward_lstm/kernel')).toBe('bk');
    expect(r.sources.get('lstm/recurrent_kernel')).toBe('lstm/lstm_cell/recurrent_kernel');
    expect(r.positional).toEqual([]);
  });

  it('drops a leading model scope, with or without a cell segment after it (Keras 3 files through the tfjs converter)', () => {
    const available = { 'sequential/lstm/lstm_cell/kernel': 'k', 'sequential/lstm/lstm_cell/bias': 'b', 'sequential/dense/kernel': 'dk' };
    const r = matchWeights(['lstm/kernel', 'lstm/bias', 'dense/kernel'], available, { allowPositional: false });
    expect(Object.fromEntries(r.sources)).toEqual({
      'lstm/kernel': 'sequential/lstm/lstm_cell/kernel',
      'lstm/bias': 'sequential/lstm/lstm_cell/bias',
      'dense/kernel': 'sequential/dense/kernel',
    });
    // Only one scope segment: 'a/b/lstm/kernel' is not 'lstm/kernel' (nor is 'a/lstm/x/y/kernel').
    const deeper = matchWeights(
      ['lstm/kernel'],
      { 'a/b/lstm/kernel': 1, 'a/lstm/x/y/kernel': 2 },
      { strict: false, allowPositional: false },
    );
    expect(deeper.matched.size).toBe(0);
  });

  it('prefers an exact match over a cell-dropped one', () => {
    const r = matchWeights(['lstm/kernel'], { 'lstm/lstm_cell/kernel': 'cell', 'lstm/kernel': 'exact' }, { strict: false });
    expect(r.matched.get('lstm/kernel')).toBe('exact');
    expect(r.extra).toEqual(['lstm/lstm_cell/kernel']);
  });

  it('ignores a variable-uniquifying suffix on the expected name only (tfjs matches originalName)', () => {
    const r = matchWeights(['lstm/kernel_1', 'lstm/bias_1'], { 'lstm/kernel': 1, 'lstm/lstm_cell/bias': 2 });
    expect(r.matched.get('lstm/kernel_1')).toBe(1);
    expect(r.matched.get('lstm/bias_1')).toBe(2);
  });

  it('never ignores layer-name counters: lstm_1/kernel is not lstm/kernel', () => {
    const r = matchWeights(
      ['lstm_1/kernel', 'lstm_1/bias'],
      { 'lstm/kernel': 1, 'lstm/bias': 2, 'x/y': 3 },
      { strict: false, allowPositional: false },
    );
    expect(r.matched.size).toBe(0);
    expect(r.missing).toEqual(['lstm_1/kernel', 'lstm_1/bias']);
    expect(r.extra).toEqual(['lstm/kernel', 'lstm/bias', 'x/y']);
  });

  it('falls back to position only when the leftovers pair up (and shapes agree when given)', () => {
    const t = (shape: number[]) => ({ shape });
    const available = { 'keras_lstm/w0': t([4, 12]), 'keras_lstm/w1': t([3, 12]) };
    const r = matchWeights(['lstm/kernel', 'lstm/recurrent_kernel'], available, {
      expectedShapes: { 'lstm/kernel': [4, 12], 'lstm/recurrent_kernel': [3, 12] },
    });
    expect(r.positional).toEqual([
      ['lstm/kernel', 'keras_lstm/w0'],
      ['lstm/recurrent_kernel', 'keras_lstm/w1'],
    ]);
    expect(() =>
      matchWeights(['lstm/kernel', 'lstm/recurrent_kernel'], available, {
        expectedShapes: { 'lstm/kernel': [3, 12], 'lstm/recurrent_kernel': [4, 12] },
      }),
    ).toThrow(
      /2 of 2 weights are not set: lstm\/kernel, lstm\/recurrent_kernel; provided weight data has no target variable for: keras_lstm\/w0, keras_lstm\/w1/,
    );
  });

  it('strict mode lists missing and extra names; non-strict reports them', () => {
    expect(() => matchWeights(['a/k', 'a/b'], { 'a/k': 1, 'z/q': 2, 'z/r': 3 })).toThrow(
      /1 of 2 weights are not set: a\/b; provided weight data has no target variable for: z\/q, z\/r/,
    );
    const r = matchWeights(['a/k', 'a/b'], { 'a/k': 1, 'z/q': 2, 'z/r': 3 }, { strict: false });
    expect(r.missing).toEqual(['a/b']);
    expect(r.extra).toEqual(['z/q', 'z/r']);
  });

  it('checks shapes of name matches when shapes are given', () => {
    expect(() => matchWeights(['d/kernel'], { 'd/kernel': { shape: [2, 3] } }, { expectedShapes: { 'd/kernel': [3, 2] } })).toThrow(
      /weight 'd\/kernel' has shape \[2,3\] but variable 'd\/kernel' expects \[3,2\]/,
    );
  });

  it('rejects bad arguments', () => {
    expect(() => matchWeights(['a', 'a'], {})).toThrow(/duplicate expected weight name 'a'/);
    expect(() => matchWeights('a' as unknown as string[], {})).toThrow(/expectedNames must be an array/);
  });
});
