/** One binary for both memories: the memory import's limits flag, patched to shared, and nothing else changes. */
import { decodeWasmAscii } from '../../../src/backend/wasm';
import { WASM_ASCII } from '../../../src/backend/wasm_simd.generated';
import {
  createModuleMemory,
  markMemoryImportShared,
  MAX_PAGES,
  memoryLimitsFlagOffset,
  MEMORY_IMPORT,
} from '../../../src/backend/threads/shared_module';

const bytes = decodeWasmAscii(WASM_ASCII);

describe('shared module', () => {
  it('the module imports env.memory with limits 1..65536 (flag 0x01)', () => {
    const m = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(m)).toEqual([{ module: MEMORY_IMPORT.module, name: MEMORY_IMPORT.name, kind: 'memory' }]);
    const at = memoryLimitsFlagOffset(bytes);
    expect(bytes[at]).toBe(0x01);
    expect(Array.from(bytes.subarray(at + 1, at + 5))).toEqual([1, 0x80, 0x80, 0x04]); // min 1, max 65536 (LEB128)
    expect(MAX_PAGES).toBe(65536);
  });

  it('marking it shared changes exactly that byte; it then takes a shared memory and refuses a plain one', () => {
    const shared = markMemoryImportShared(bytes);
    const at = memoryLimitsFlagOffset(bytes);
    const diff = Array.from(shared.keys()).filter((i) => shared[i] !== bytes[i]);
    expect(diff).toEqual([at]);
    expect(shared[at]).toBe(0x03);
    const m = new WebAssembly.Module(shared);
    const mem = createModuleMemory(true);
    const inst = new WebAssembly.Instance(m, { env: { memory: mem } });
    expect((inst.exports.memory as WebAssembly.Memory).buffer).toBe(mem.buffer);
    expect(() => new WebAssembly.Instance(m, { env: { memory: createModuleMemory(false) } })).toThrow(/shared/);
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: mem } })).toThrow(/shared/);
  });

  it('refuses a module without a memory import, naming the fix', () => {
    const none = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(memoryLimitsFlagOffset(none)).toBe(-1);
    expect(() => markMemoryImportShared(none)).toThrow(
      'recurrent wasm threads: the module does not import a bounded memory (rebuild it with scripts/build-wasm.mjs).',
    );
  });
});
