/**
 * Typed errors at the boundaries: callers tell kinds of failure apart with `instanceof` (and LoadError's
 * `fieldPath`), not by matching message text. The messages keep their usual form.
 */
import { LoadError, lstmSequence, NotImplementedError, ValueError, zeros } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { io, loadLayersModel } from '@recurrent/models';

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
