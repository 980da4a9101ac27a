/** getBackend / setBackend / ready, the browser-style asynchronous load, and the fallback to 'js'. */
import { getBackend, ready, resetBackendForTests, setBackend, wasmExportsIfActive } from '../../src/backend/backend';
import { resetWasmForTests, wasmStatus } from '../../src/backend/wasm';
import * as core from '../../src';
import { WASM_GEMM_MIN_WORK } from '../../src/ops/gemm';

function product(): number[] {
  // 12×10 · 10×9 is above the size where gemm goes to wasm (WASM_GEMM_MIN_WORK); small integers
  // make the products exact on both backends.
  expect(12 * 10 * 9).toBeGreaterThanOrEqual(WASM_GEMM_MIN_WORK);
  const a = core.tensor2d(
    Array.from({ length: 120 }, (_, i) => ((i * 7) % 11) - 5),
    [12, 10],
  );
  const b = core.tensor2d(
    Array.from({ length: 90 }, (_, i) => ((i * 5) % 13) - 6),
    [10, 9],
  );
  return Array.from(core.matMul(a, b).dataSync());
}

afterEach(() => {
  resetWasmForTests();
  resetBackendForTests();
});

describe('backend selection', () => {
  it("is 'wasm' by default in Node, loaded synchronously on first use", () => {
    resetWasmForTests();
    expect(wasmStatus()).toBe('unloaded');
    expect(getBackend()).toBe('wasm');
    expect(wasmStatus()).toBe('ready');
    expect(wasmExportsIfActive()).not.toBeNull();
  });

  it('ready() resolves and leaves the backend on wasm', async () => {
    await expect(ready()).resolves.toBeUndefined();
    expect(getBackend()).toBe('wasm');
  });

  it('ready({threads: false}) resolves once the module is ready; bad options throw naming the option', async () => {
    resetWasmForTests({ async: true });
    const p = ready({ threads: false });
    expect(wasmStatus()).toBe('loading');
    await expect(p).resolves.toBeUndefined();
    expect(wasmStatus()).toBe('ready');
    expect(() => ready({ thread: false } as never)).toThrow("ready: unknown option 'thread'; the known option is 'threads'.");
    expect(() => ready({ threads: 'no' } as never)).toThrow('ready: options.threads must be a boolean, received string "no".');
    expect(() => ready(null as never)).toThrow('ready: options must be an object like {threads: false}, received null.');
  });

  it("setBackend('js') switches kernels to TypeScript and setBackend('wasm') back", async () => {
    const viaWasm = product();
    await expect(setBackend('js')).resolves.toBe(true);
    expect(getBackend()).toBe('js');
    expect(wasmExportsIfActive()).toBeNull();
    expect(product()).toEqual(viaWasm); // small integers: exact on both
    await expect(setBackend('wasm')).resolves.toBe(true);
    expect(getBackend()).toBe('wasm');
  });

  it('the switch is synchronous in Node (no await needed)', () => {
    void setBackend('js');
    expect(getBackend()).toBe('js');
    void setBackend('wasm');
    expect(getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name, naming it and the choices, and keeps the current one', async () => {
    await expect(setBackend('webgl' as never)).rejects.toThrow("setBackend: unknown backend 'webgl'; expected one of 'wasm', 'js'.");
    expect(getBackend()).toBe('wasm');
  });

  it('is exported from the package index', () => {
    expect(core.getBackend).toBe(getBackend);
    expect(core.setBackend).toBe(setBackend);
    expect(core.ready).toBe(ready);
  });
});

describe('when wasm SIMD is unavailable', () => {
  it("falls back to 'js', and setBackend('wasm') rejects with the reason", async () => {
    resetWasmForTests({ unavailable: 'this WebAssembly engine does not support 128-bit SIMD' });
    expect(getBackend()).toBe('js');
    await expect(ready()).resolves.toBeUndefined();
    await expect(setBackend('wasm')).rejects.toThrow(
      "setBackend: the 'wasm' backend is unavailable: this WebAssembly engine does not support 128-bit SIMD.",
    );
    expect(getBackend()).toBe('js');
    expect(product()).toEqual(
      (() => {
        resetWasmForTests();
        return product();
      })(),
    );
  });
});

describe('asynchronous load (as in browsers)', () => {
  it("runs on 'js' until the module is compiled, then on 'wasm'", async () => {
    resetWasmForTests({ async: true });
    expect(getBackend()).toBe('js');
    expect(wasmStatus()).toBe('loading');
    const before = product(); // computed by the TypeScript kernel meanwhile
    await ready();
    expect(wasmStatus()).toBe('ready');
    expect(getBackend()).toBe('wasm');
    expect(product()).toEqual(before);
  });

  it("setBackend('wasm') resolves once the module is ready", async () => {
    resetWasmForTests({ async: true });
    await setBackend('js');
    const p = setBackend('wasm');
    expect(getBackend()).toBe('js');
    await expect(p).resolves.toBe(true);
    expect(getBackend()).toBe('wasm');
  });

  it("an explicit setBackend('js') made while loading is kept after the load", async () => {
    resetWasmForTests({ async: true });
    expect(getBackend()).toBe('js');
    await setBackend('js');
    await ready();
    expect(getBackend()).toBe('js');
  });
});
