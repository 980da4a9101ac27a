/**
 * One module binary for both memories. The kernels are compiled with an IMPORTED memory ("env" "memory",
 * limits 1..65536 pages; scripts/build-wasm.mjs). For one thread the module gets a plain memory; for
 * threads `markMemoryImportShared` turns the import's limits flag from 0x01 (min, max) into 0x03 (min, max,
 * shared) in a copy of the bytes, and every thread instantiates that module on ONE shared memory.
 * Nothing else differs, so validation and code are the same both ways (one embedded binary, no second
 * ~9 KiB gzip copy in the bundle).
 */
import { threadsUnsupportedReason } from './support';

/** The memory import's name in the module: `{ env: { memory } }`. */
export const MEMORY_IMPORT = { module: 'env', name: 'memory' } as const;

/** The module's declared maximum (pages): the largest memory it accepts (4 GiB). */
export const MAX_PAGES = 65536;

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) break;
    if (i >= bytes.length) throw new Error('truncated LEB128');
  }
  return { value, next: i };
}

function readName(bytes: Uint8Array, at: number): { name: string; next: number } {
  const { value: n, next } = readLeb(bytes, at);
  let name = '';
  for (let i = 0; i < n; i++) name += String.fromCharCode(bytes[next + i]);
  return { name, next: next + n };
}

/**
 * The byte offset of the memory import's limits flag (0x01 min+max, 0x03 shared), or -1 when the module
 * imports no memory. Walks the sections and the import section's entries.
 */
export function memoryLimitsFlagOffset(bytes: Uint8Array): number {
  let at = 8; // magic + version
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readLeb(bytes, at + 1);
    const end = size.next + size.value;
    if (id === 2) {
      let p = readLeb(bytes, size.next);
      const count = p.value;
      let q = p.next;
      for (let e = 0; e < count; e++) {
        const mod = readName(bytes, q);
        const field = readName(bytes, mod.next);
        const kind = bytes[field.next];
        q = field.next + 1;
        if (kind === 2) return q; // memory: limits flag, min, [max]
        if (kind === 0)
          q = readLeb(bytes, q).next; // function: type index
        else if (kind === 1) {
          // table: reftype, limits
          const flag = bytes[q + 1];
          p = readLeb(bytes, q + 2);
          q = flag & 1 ? readLeb(bytes, p.next).next : p.next;
        } else if (kind === 3)
          q += 2; // global: valtype, mutability
        else throw new Error(`unknown import kind ${kind}`);
      }
      return -1;
    }
    at = end;
  }
  return -1;
}

/** A copy of the module bytes whose memory import is shared (flag 0x03); throws if it has no bounded memory import. */
export function markMemoryImportShared(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const at = memoryLimitsFlagOffset(bytes);
  if (at < 0 || (bytes[at] !== 0x01 && bytes[at] !== 0x03)) {
    throw new Error('recurrent wasm threads: the module does not import a bounded memory (rebuild it with scripts/build-wasm.mjs).');
  }
  const out = bytes.slice();
  out[at] = 0x03;
  return out;
}

/** A new memory for the module: shared (for threads) or plain, 1 page initially, growing up to 4 GiB. */
export function createModuleMemory(shared: boolean): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared } as WebAssembly.MemoryDescriptor);
}

/**
 * The bytes to compile and the memory to instantiate them with: shared when `wantShared` and threads can
 * run here (`reason` says why not otherwise; '' when not asked), else plain.
 */
export function moduleAndMemory(
  bytes: Uint8Array<ArrayBuffer>,
  wantShared: boolean,
): { bytes: Uint8Array<ArrayBuffer>; memory: WebAssembly.Memory; shared: boolean; reason: string } {
  let reason = '';
  if (wantShared) {
    reason = threadsUnsupportedReason();
    if (!reason) {
      try {
        return { bytes: markMemoryImportShared(bytes), memory: createModuleMemory(true), shared: true, reason: '' };
      } catch (e) {
        reason = `a shared wasm memory could not be created (${(e as Error).message})`;
      }
    }
  }
  return { bytes, memory: createModuleMemory(false), shared: false, reason };
}
