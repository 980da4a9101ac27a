/**
 * The JavaScript side of the module's memory: `WasmArena`, the bump allocator of each kernel call's scratch region
 * and of the retained regions (see wasm.ts, "Memory" and "Retained regions").
 */
import type { WasmExports } from './wasm_exports';

const PAGE = 65536;
/** A wasm32 memory addresses at most 4 GiB. */
export const WASM_MAX_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * `bytes` rounded up to a multiple of 16, in float64 arithmetic (never a 32-bit bit operation, which
 * would wrap sizes of 2 GiB and more to negative numbers).
 */
export function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** The float index of byte pointer `ptr` (unsigned: pointers of 2 GiB and more stay positive). */
export function floatIndex(ptr: number): number {
  return ptr >>> 2;
}

/**
 * Bump allocation of one scratch region in the module's memory, reset per kernel call. Growing the
 * memory replaces its ArrayBuffer, so typed views are always taken through `f32()` after allocating.
 */
export class WasmArena {
  /** First byte of the module's free memory (retained regions start here). */
  private readonly heapStart: number;
  /** First byte of the scratch region: above every live retained region. */
  private base: number;
  private top: number;
  private view: Float32Array;
  /** Live retained regions [ptr, end), sorted by address. */
  private readonly retained: { ptr: number; end: number }[] = [];

  constructor(private readonly w: WasmExports) {
    this.heapStart = align16(w.heapBase());
    this.base = this.heapStart;
    this.top = this.base;
    this.view = new Float32Array(w.memory.buffer);
  }

  /** Frees everything allocated since the last reset (the memory itself is kept for reuse). */
  reset(): void {
    this.top = this.base;
  }

  private ensure(end: number): void {
    if (!(end <= WASM_MAX_BYTES)) {
      throw new RangeError(
        `recurrent wasm backend: a kernel call needs ${end} bytes of wasm memory; a wasm32 memory holds at most ${WASM_MAX_BYTES} ` +
          '(kernels split larger work; this is a bug in the kernel glue).',
      );
    }
    const have = this.w.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.w.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (e) {
        throw new RangeError(
          `recurrent wasm backend: could not grow the wasm memory from ${have} to ${end} bytes (${(e as Error).message}).`,
        );
      }
    }
  }

  /** Reserves `bytes` (16-byte aligned), growing the memory if needed; returns the byte pointer. */
  alloc(bytes: number): number {
    if (!(bytes >= 0) || !Number.isSafeInteger(bytes)) {
      throw new RangeError(`recurrent wasm backend: cannot reserve ${bytes} bytes (expected a non-negative integer).`);
    }
    const ptr = this.top;
    const end = ptr + align16(bytes);
    this.ensure(end);
    this.top = end;
    return ptr;
  }

  /**
   * Reserves `bytes` (16-byte aligned) that stay valid until `release(ptr)`: the first gap between live
   * retained regions that fits, else above them (the scratch base moves up). Resets the scratch region.
   */
  retain(bytes: number): number {
    const size = Math.max(16, align16(bytes));
    let at = this.heapStart;
    let i = 0;
    for (; i < this.retained.length; i++) {
      if (this.retained[i].ptr - at >= size) break;
      at = this.retained[i].end;
    }
    this.ensure(at + size);
    this.retained.splice(i, 0, { ptr: at, end: at + size });
    this.updateBase();
    return at;
  }

  /** Gives back a region from `retain` (unknown pointers are ignored). Resets the scratch region. */
  release(ptr: number): void {
    const i = this.retained.findIndex((r) => r.ptr === ptr);
    if (i >= 0) this.retained.splice(i, 1);
    this.updateBase();
  }

  /** Bytes held by live retained regions (test and diagnostics hook). */
  retainedBytes(): number {
    return this.retained.reduce((s, r) => s + r.end - r.ptr, 0);
  }

  private updateBase(): void {
    const n = this.retained.length;
    this.base = n ? this.retained[n - 1].end : this.heapStart;
    this.top = this.base;
  }

  /** A Float32Array over the whole memory (refreshed if the memory grew). */
  f32(): Float32Array {
    if (this.view.buffer !== this.w.memory.buffer) this.view = new Float32Array(this.w.memory.buffer);
    return this.view;
  }

  /** Allocates room for `len` floats and copies `src[off, off + len)` there (as floats); returns the pointer. */
  copyIn(src: Float32Array | Int32Array | Uint8Array, off: number, len: number): number {
    const ptr = this.alloc(len * 4);
    this.f32().set(off === 0 && len === src.length ? src : src.subarray(off, off + len), ptr >>> 2);
    return ptr;
  }

  /** Copies `len` floats at byte pointer `ptr` into `dst` at `off`. */
  copyOut(ptr: number, dst: Float32Array, off: number, len: number): void {
    dst.set(this.f32().subarray(ptr >>> 2, (ptr >>> 2) + len), off);
  }
}
