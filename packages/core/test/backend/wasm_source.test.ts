/**
 * Where the module's bytes come from (backend/wasm_source.ts): both builds inline (Node, CommonJS), or, in the
 * browser ESM build (wasm_source.browser.ts swapped in by rollup), only the chosen build, imported on first use.
 * Here the browser twin is swapped in with jest.mock, as the browser build does: even in Node the module then
 * loads asynchronously (kernels run on 'js' meanwhile), and only the chosen build is imported.
 */
import { createHash } from 'crypto';
import { WASM_RELAXED_SHA256, WASM_SHA256 } from '../../src/backend/wasm_binary.generated';
import { wasmModuleBytes as nodeSource } from '../../src/backend/wasm_source';
import { wasmModuleBytes as browserSource } from '../../src/backend/wasm_source.browser';

const sha = (b: Uint8Array | Promise<Uint8Array>): string =>
  createHash('sha256')
    .update(b as Uint8Array)
    .digest('hex');

jest.mock('../../src/backend/wasm_source', () => {
  const actual = jest.requireActual<typeof import('../../src/backend/wasm_source')>('../../src/backend/wasm_source');
  const browser = jest.requireActual<typeof import('../../src/backend/wasm_source.browser')>('../../src/backend/wasm_source.browser');
  // `useBrowser` switches the module wasm.ts sees to the browser twin.
  const state = { useBrowser: false, asked: [] as string[] };
  return {
    __state: state,
    wasmModuleBytes: (v: Parameters<typeof actual.wasmModuleBytes>[0]) => {
      state.asked.push(v);
      return state.useBrowser ? browser.wasmModuleBytes(v) : actual.wasmModuleBytes(v);
    },
  };
});

// Imported after the mock (jest hoists jest.mock above the imports anyway).
import { getBackend, ready, resetBackendForTests } from '../../src/backend/backend';
import { resetWasmForTests, wasmStatus } from '../../src/backend/wasm';
import { setWasmVariantForTests, wasmFeatures } from '../../src/backend/wasm_variant';
import * as core from '../../src';
import * as mocked from '../../src/backend/wasm_source';

const state = (mocked as unknown as { __state: { useBrowser: boolean; asked: string[] } }).__state;

afterAll(() => {
  state.useBrowser = false;
  setWasmVariantForTests(null);
  resetWasmForTests();
  resetBackendForTests();
});

describe('the module bytes', () => {
  it('Node build: each build synchronously, with the SHA-256 the build recorded (the relaxed one patched from the plain one)', () => {
    const plain = nodeSource('simd');
    const relaxed = nodeSource('relaxed-simd');
    expect(plain).toBeInstanceOf(Uint8Array);
    expect(sha(plain)).toBe(WASM_SHA256);
    expect(sha(relaxed)).toBe(WASM_RELAXED_SHA256);
  });

  it('browser build: each build as a promise of the same bytes', async () => {
    const plain = browserSource('simd');
    const relaxed = browserSource('relaxed-simd');
    expect(plain).toBeInstanceOf(Promise);
    expect(relaxed).toBeInstanceOf(Promise);
    expect(sha(await plain)).toBe(WASM_SHA256);
    expect(sha(await relaxed)).toBe(WASM_RELAXED_SHA256);
  });

  it("with the browser source the module loads asynchronously even in Node: 'js' until ready, then 'wasm' with the chosen build", async () => {
    state.useBrowser = true;
    state.asked = [];
    setWasmVariantForTests('simd');
    resetWasmForTests();
    resetBackendForTests();
    expect(getBackend()).toBe('js');
    expect(wasmStatus()).toBe('loading');
    const x = core.tensor2d([1, -2, 3, 4, -5, 6], [2, 3]);
    const before = Array.from(core.matMul(x, x.transpose()).dataSync());
    await ready();
    expect(wasmStatus()).toBe('ready');
    expect(getBackend()).toBe('wasm');
    expect(wasmFeatures().module).toBe('simd');
    expect(state.asked).toEqual(['simd']);
    // Hand-worked: [[1,-2,3],[4,-5,6]]·its transpose = [[14, 32], [32, 77]].
    expect(before).toEqual([14, 32, 32, 77]);
    expect(Array.from(core.matMul(x, x.transpose()).dataSync())).toEqual([14, 32, 32, 77]);
  });

  it('a reset while the bytes are on their way drops that load; the next one installs', async () => {
    state.useBrowser = true;
    setWasmVariantForTests('simd');
    resetWasmForTests();
    expect(getBackend()).toBe('js');
    resetWasmForTests(); // the pending load must not install into the new state
    expect(wasmStatus()).toBe('unloaded');
    await ready();
    expect(wasmStatus()).toBe('ready');
    expect(getBackend()).toBe('wasm');
  });
});
