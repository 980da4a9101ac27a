/**
 * The tape node owns a fused kernel's resident saved buffers (src/backend/sequence_resident.ts, engine.ts
 * `TapeNode.dispose`): kept in wasm from the forward to the backward with no copy to JavaScript, freed when the
 * outermost gradient scope ends (also for forwards not on the loss's path, and when the scope's function throws),
 * after `loss.backward()` (kept with `retainGraph` for a second backward), kept for an enclosing scope's second
 * backward, freed by the garbage collector when dropped with none of these; inference keeps no saved buffers (only
 * its packed weights, sequence_packed_weights.ts); repeated training steps reuse the same wasm memory (the backend's
 * own accounting: retained bytes back to the kept packed weights', memory size flat). Gradients equal the TypeScript
 * kernels'.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import * as core from '../../src';
import { resetBackendForTests, setBackend } from '../../src/backend/backend';
import { takeSavedCopyOutCountForTests } from '../../src/backend/sequence_resident';
import { takePackedWeightsStatsForTests } from '../../src/backend/sequence_packed_weights';
import { retainedArena, wasmExports } from '../../src/backend/wasm';
import { WasmArena } from '../../src/backend/wasm_arena';

afterEach(() => resetBackendForTests());

type Cell = 'lstm' | 'gruAfter' | 'gruBefore' | 'simple';
const CELLS: Cell[] = ['lstm', 'gruAfter', 'gruBefore', 'simple'];

function arena(): WasmArena {
  return retainedArena() as WasmArena;
}

/** Retained bytes besides the packed weights inference forwards keep between calls. */
function residentBytes(): number {
  return arena().retainedBytes() - takePackedWeightsStatsForTests().bytes;
}

function wasmBytes(): number {
  return (wasmExports() as NonNullable<ReturnType<typeof wasmExports>>).memory.buffer.byteLength;
}

function inputs(cell: Cell, B = 3) {
  const G = cell === 'lstm' ? 4 : cell === 'simple' ? 1 : 3;
  const [T, D, U] = [5, 4, 6];
  const r = (shape: number[], seed: number, s = 0.4) => core.randomNormal(shape, 0, s, 'float32', seed);
  return [r([B, T, D], 1, 1), r([D, G * U], 2), r([U, G * U], 3), r(cell === 'gruAfter' ? [2, G * U] : [G * U], 4)];
}

/** sum(seq²) + sum(finalH) of the cell's fused op, with a mask and goBackwards. */
function loss(cell: Cell, x: core.Tensor, W: core.Tensor, R: core.Tensor, b: core.Tensor): core.Tensor {
  const B = x.shape[0];
  const mask = core.tensor(
    Array.from({ length: B * 5 }, (_, i) => (i % 7 === 3 ? 0 : 1)),
    [B, 5],
  );
  const opts = { activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, returnSequences: true, goBackwards: true, mask };
  const outs =
    cell === 'lstm'
      ? core.lstmSequence(x, W, R, b, null, null, opts)
      : cell === 'simple'
        ? core.simpleRNNSequence(x, W, R, b, null, opts)
        : core.gruSequence(x, W, R, b, null, { ...opts, resetAfter: cell === 'gruAfter' });
  return outs[1].square().sum().add(outs[2].sum());
}

function expectClose(got: core.Tensor[], want: core.Tensor[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const a = g.dataSync();
    const e = want[i].dataSync();
    let scale = 1;
    for (let k = 0; k < e.length; k++) scale = Math.max(scale, Math.abs(e[k]));
    for (let k = 0; k < e.length; k++) {
      if (!(Math.abs(a[k] - e[k]) <= 1e-5 * scale)) throw new Error(`gradient ${i}[${k}]: wasm ${a[k]} vs js ${e[k]}`);
    }
  });
}

function jsGrads(cell: Cell, args: core.Tensor[]): core.Tensor[] {
  void setBackend('js');
  const g = core.grads((x, W, R, b) => loss(cell, x, W, R, b))(args);
  void setBackend('wasm');
  return g;
}

describe('resident saved buffers belong to the tape node', () => {
  for (const cell of CELLS) {
    it(`${cell}: a gradient scope keeps them from the forward to the backward (no copy out), frees them at its end`, () => {
      const args = inputs(cell);
      const want = jsGrads(cell, args);
      const before = residentBytes();
      takeSavedCopyOutCountForTests();
      let during = -1;
      const got = core.grads((x, W, R, b) => {
        const l = loss(cell, x, W, R, b);
        during = residentBytes();
        return l;
      })(args);
      expect(takeSavedCopyOutCountForTests()).toBe(0);
      expect(during).toBeGreaterThan(before);
      expect(residentBytes()).toBe(before);
      expectClose(got, want);
    });
  }

  it('forwards not on the loss path are freed at the end of the scope too; so is a scope whose function throws', () => {
    void setBackend('wasm');
    const args = inputs('lstm');
    const want = jsGrads('lstm', args);
    const got = core.grads((x, W, R, b) => {
      loss('lstm', x, W, R, b); // recorded, never backpropagated
      const l = loss('lstm', x, W, R, b);
      const [x2, W2, R2, b2] = inputs('gruAfter');
      loss('gruAfter', x2, W2, R2, b2);
      expect(residentBytes()).toBeGreaterThan(0);
      return l;
    })(args);
    expect(residentBytes()).toBe(0);
    expectClose(got, want);
    expect(() =>
      core.grads((x, W, R, b) => {
        loss('lstm', x, W, R, b);
        throw new Error('user code failed');
      })(args),
    ).toThrow('user code failed');
    expect(residentBytes()).toBe(0);
  });

  it('a nested scope leaves them to the enclosing one, whose backward runs through the node again', () => {
    void setBackend('wasm');
    const args = inputs('gruBefore');
    const want = jsGrads('gruBefore', args);
    let afterInner = -1;
    let inner: core.Tensor[] = [];
    const outer = core.grads((x, W, R, b) => {
      const vg = core.valueAndGrads((x1, W1, R1, b1) => loss('gruBefore', x1, W1, R1, b1))([x, W, R, b]);
      inner = vg.grads;
      afterInner = residentBytes();
      return vg.value;
    })(args);
    expect(afterInner).toBeGreaterThan(0);
    expect(residentBytes()).toBe(0);
    expectClose(inner, want);
    expectClose(outer, want);
  });

  for (const cell of CELLS) {
    it(`${cell}: loss.backward() frees them; with retainGraph they stay for a second backward`, () => {
      void setBackend('wasm');
      const args = inputs(cell).map((t) => t.requiresGrad_());
      const want = jsGrads(cell, args);
      const l = loss(cell, args[0], args[1], args[2], args[3]);
      const held = residentBytes();
      expect(held).toBeGreaterThan(0);
      l.backward(null, { retainGraph: true });
      expect(residentBytes()).toBe(held);
      expectClose(
        args.map((t) => t.grad as core.Tensor),
        want,
      );
      takeSavedCopyOutCountForTests();
      l.backward();
      expect(takeSavedCopyOutCountForTests()).toBe(0);
      expect(residentBytes()).toBe(0);
      expectClose(
        args.map((t) => t.grad as core.Tensor),
        want.map((g) => g.mul(2)),
      );
    });
  }

  it('inference keeps nothing: no recording, noGrad() on inputs that require grad', () => {
    void setBackend('wasm');
    const args = inputs('lstm');
    takeSavedCopyOutCountForTests();
    loss('lstm', args[0], args[1], args[2], args[3]);
    const req = inputs('lstm').map((t) => t.requiresGrad_());
    const y = core.noGrad(() => loss('lstm', req[0], req[1], req[2], req[3]));
    expect(y.requiresGrad).toBe(false);
    expect(residentBytes()).toBe(0);
    expect(takeSavedCopyOutCountForTests()).toBe(0);
  });

  it('repeated training steps reuse the same memory: retained bytes back to 0 and the wasm memory flat after each step', () => {
    void setBackend('wasm');
    const [x, ...init] = inputs('lstm', 33);
    const vars = init.map((t, i) => core.variable(t, true, `resident_step_${i}`));
    const sizes: number[] = [];
    takeSavedCopyOutCountForTests();
    for (let step = 0; step < 6; step++) {
      const { value, grads } = core.variableGrads(() => loss('lstm', x, vars[0], vars[1], vars[2]), vars);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      vars.forEach((v) => v.assign(v.sub(grads[v.name].mul(0.01))));
      expect(residentBytes()).toBe(0);
      sizes.push(wasmBytes());
    }
    expect(takeSavedCopyOutCountForTests()).toBe(0);
    expect(sizes.slice(1)).toEqual(sizes.slice(1).map(() => sizes[1]));
    vars.forEach((v) => v.dispose());
  });

  it('a node dropped without backward() or a scope is freed when garbage-collected (FinalizationRegistry)', async () => {
    void setBackend('wasm');
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    (() => {
      const args = inputs('lstm').map((t) => t.requiresGrad_());
      loss('lstm', args[0], args[1], args[2], args[3]);
    })();
    expect(residentBytes()).toBeGreaterThan(0);
    for (let i = 0; i < 20 && residentBytes() > 0; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(residentBytes()).toBe(0);
  });
});
