/**
 * Typed errors at the boundaries: callers tell kinds of failure apart with `instanceof` (and LoadError's
 * `fieldPath`), not by matching message text. The messages keep their usual form.
 */
import { add, LoadError, lstmSequence, norm, NotImplementedError, ones, reshape, tensor, ValueError, zeros } from '@recurrent/core';
import { layers, nn } from '@recurrent/layers';
import { data, io, loadLayersModel, sequential } from '@recurrent/models';

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

async function caughtAsync(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('typed errors', () => {
  it('are Errors with their name, and instanceof works for each class', () => {
    const v = new ValueError('m');
    const n = new NotImplementedError('m');
    const l = new LoadError('m', 'a.b[1]');
    expect([v instanceof Error, v instanceof ValueError, v instanceof LoadError, v.name]).toEqual([true, true, false, 'ValueError']);
    expect([n instanceof Error, n instanceof NotImplementedError, n.name]).toEqual([true, true, 'NotImplementedError']);
    expect([l instanceof Error, l instanceof LoadError, l.name, l.fieldPath]).toEqual([true, true, 'LoadError', 'a.b[1]']);
    expect(new LoadError('whole file').fieldPath).toBe('');
  });

  it('an unknown layer option is a ValueError naming the option', () => {
    const e = caught(() => layers.concatenate({ axs: 1 } as never));
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).message).toMatch(/Concatenate: unknown option 'axs'; did you mean 'axis'\?/);
  });

  it('a missing required kernel option is a ValueError', () => {
    const e = caught(() => lstmSequence(zeros([1, 2, 3]), zeros([3, 8]), zeros([2, 8]), null, null, null, { activation: 'tanh' } as never));
    expect(e).toBeInstanceOf(ValueError);
  });

  it('sparse inputs are a NotImplementedError', () => {
    expect(caught(() => layers.inputLayer({ inputShape: [3], sparse: true }))).toBeInstanceOf(NotImplementedError);
  });

  it('a malformed topology is a LoadError with the path of the bad field', async () => {
    const e = await caughtAsync(() => loadLayersModel(io.fromMemory({ modelTopology: { class_name: 'Foo', config: {} } })));
    expect(e).toBeInstanceOf(LoadError);
    expect((e as LoadError).fieldPath).toBe('modelTopology.class_name');
    expect((e as Error).message).toMatch(
      /^loadLayersModel: modelTopology\.class_name must be 'Sequential', 'Model' or 'Functional', received 'Foo'/,
    );
  });

  it('every failure of loadLayersModel is a LoadError (the field path is empty where the check does not give one yet)', async () => {
    const topology = { class_name: 'Sequential', config: { name: 's', layers: 'x' } };
    const e = await caughtAsync(() => loadLayersModel(io.fromMemory({ modelTopology: topology })));
    expect(e).toBeInstanceOf(LoadError);
    expect((e as Error).message).toMatch(/^loadLayersModel: .*config\.layers: must be an array/);
  });
});

describe('the usual mistakes, across the packages, are ValueErrors (NotImplementedError for valid requests we lack)', () => {
  const model = () => {
    const m = sequential({ layers: [layers.lstm({ units: 2, inputShape: [3, 2] }), layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return m;
  };
  const sync: [string, () => unknown, typeof ValueError | typeof NotImplementedError, RegExp][] = [
    ['add of shapes that do not broadcast', () => add(ones([2, 3]), ones([4])), ValueError, /add/],
    ['reshape to another size', () => reshape(ones([2, 3]), [4]), ValueError, /reshape/],
    ['tensor of values that do not fill the shape', () => tensor([1, 2, 3], [2, 2]), ValueError, /tensor/],
    ['a layer option out of range', () => layers.dense({ units: 0 }), ValueError, /units/],
    ['predict on the wrong feature size', () => model().predict(zeros([1, 3, 5])), ValueError, /predict: x has shape \[1,3,5\]/],
    ['evaluate with targets of the wrong shape', () => model().evaluate(zeros([2, 3, 2]), zeros([2, 4])), ValueError, /evaluate/],
    [
      'compile with an unknown loss name',
      () => model().compile({ optimizer: 'sgd', loss: 'meanSquareError' }),
      ValueError,
      /meanSquareError/,
    ],
    ['nn.LSTM on another input size', () => new nn.LSTM(4, 3).forward(zeros([1, 2, 5])), ValueError, /inputSize = 4/],
    ['a Dataset from a non-array', () => data.array(null as never), ValueError, /data\.array/],
    ['an http handler without a URL', () => io.http(''), ValueError, /URL/],
    ['the matrix 2-norm', () => norm(ones([2, 2]), 2, [0, 1]), NotImplementedError, /norm/],
  ];
  it.each(sync)('%s', (_what, f, type, message) => {
    const e = caught(f);
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toMatch(message);
  });

  it('fit with a bad option value (async) rejects with a ValueError; shuffle: batch with a NotImplementedError', async () => {
    const m = model();
    const x = zeros([2, 3, 2]);
    const y = zeros([2, 1]);
    expect(await caughtAsync(() => m.fit(x, y, { epochs: -1 }))).toBeInstanceOf(ValueError);
    expect(await caughtAsync(() => m.fit(x, y, { shuffle: 'batch' } as never))).toBeInstanceOf(NotImplementedError);
  });
});
