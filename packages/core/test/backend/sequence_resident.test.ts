/**
 * Resident forward buffers (src/backend/sequence_resident.ts): a training forward keeps its saved buffers in
 * wasm memory, its backward reads them in place and releases them; the gradients are bit-identical to the
 * copy-in path; a backward that splits the batch differently (thread count changed) copies in and still
 * releases; inference keeps nothing.
 */
import * as core from '../../src';
import { setResidentBuffersForTests, setResidentLimitForTests } from '../../src/backend/sequence_resident';
import { retainedArena } from '../../src/backend/wasm';
import { loadWithThreads, restoreDefaults, useThreads } from './threads/helpers';

beforeAll(() => loadWithThreads(3));
afterAll(() => restoreDefaults());
afterEach(() => setResidentBuffersForTests(true));

type Cell = 'lstm' | 'gru' | 'simple';

function inputs(cell: Cell) {
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const B = 9;
  const T = 6;
  const D = 5;
  const U = 16;
  const r = (shape: number[], seed: number, s = 0.3) => core.randomNormal(shape, 0, s, 'float32', seed);
  return { x: r([B, T, D], 1, 1), W: r([D, G * U], 2), R: r([U, G * U], 3), b: r(cell === 'gru' ? [2, G * U] : [G * U], 4) };
}

function op(cell: Cell) {
  const opts = { activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, returnSequences: true, resetAfter: true };
  return (x: core.Tensor, W: core.Tensor, R: core.Tensor, b: core.Tensor) => {
    const outs =
      cell === 'lstm'
        ? core.lstmSequence(x, W, R, b, null, null, opts)
        : cell === 'gru'
          ? core.gruSequence(x, W, R, b, null, opts)
          : core.simpleRNNSequence(x, W, R, b, null, opts);
    return outs[1].square().sum();
  };
}

/** Gradients of sum(seq²); with `between`, run between the forward and the backward. */
function gradsOf(cell: Cell, between?: () => void): { grads: number[][]; retainedMid: number } {
  const { x, W, R, b } = inputs(cell);
  let retainedMid = -1;
  const f = op(cell);
  const g = core.grads((x1, W1, R1, b1) => {
    const loss = f(x1, W1, R1, b1);
    retainedMid = (retainedArena() as NonNullable<ReturnType<typeof retainedArena>>).retainedBytes();
    if (between) between();
    return loss;
  })([x, W, R, b]);
  return { grads: g.map((t) => Array.from(t.dataSync())), retainedMid };
}

describe('resident forward buffers', () => {
  for (const cell of ['lstm', 'gru', 'simple'] as Cell[]) {
    for (const threads of [1, 3]) {
      it(`${cell}, ${threads} thread(s): kept between forward and backward, released after, same gradients as copying`, async () => {
        await useThreads(threads);
        const arena = retainedArena() as NonNullable<ReturnType<typeof retainedArena>>;
        const before = arena.retainedBytes();
        const kept = gradsOf(cell);
        expect(kept.retainedMid).toBeGreaterThan(before);
        expect(arena.retainedBytes()).toBe(before);
        setResidentBuffersForTests(false);
        const copied = gradsOf(cell);
        expect(copied.retainedMid).toBe(before);
        expect(kept.grads).toEqual(copied.grads);
      });
    }
  }

  it('a backward on another thread count copies in, gives the same gradients, and releases the region', async () => {
    await useThreads(3);
    const arena = retainedArena() as NonNullable<ReturnType<typeof retainedArena>>;
    const same = gradsOf('lstm').grads;
    const switched = gradsOf('lstm', () => core.setThreadsCount(2));
    expect(switched.grads).toEqual(same);
    expect(arena.retainedBytes()).toBe(0);
  });

  it('forwards whose backward has not run stay under the resident limit (oldest evicted); evicted ones copy in', async () => {
    await useThreads(1);
    const arena = retainedArena() as NonNullable<ReturnType<typeof retainedArena>>;
    const one = gradsOf('lstm').retainedMid; // bytes of one forward's region
    const old = setResidentLimitForTests(2 * one);
    try {
      const expected = gradsOf('lstm').grads;
      // Three more recorded forwards whose backward never runs (not on the loss's path): at most two
      // regions stay, the loss's own forward (the oldest) is evicted and its backward copies in.
      const evicted = gradsOf('lstm', () => {
        const { x, W, R, b } = inputs('lstm');
        for (let i = 0; i < 3; i++) {
          op('lstm')(x, W, R, b);
          expect(arena.retainedBytes()).toBeLessThanOrEqual(2 * one);
        }
        expect(arena.retainedBytes()).toBe(2 * one);
      });
      expect(evicted.grads).toEqual(expected);
      expect(arena.retainedBytes()).toBe(2 * one); // the two unused forwards (until GC or eviction)
      setResidentLimitForTests(0);
      expect(arena.retainedBytes()).toBe(0);
    } finally {
      setResidentLimitForTests(old);
    }
  });

  it('inference keeps nothing resident', async () => {
    await useThreads(3);
    const { x, W, R, b } = inputs('lstm');
    op('lstm')(x, W, R, b);
    expect((retainedArena() as NonNullable<ReturnType<typeof retainedArena>>).retainedBytes()).toBe(0);
  });
});
