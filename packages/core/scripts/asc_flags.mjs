// The AssemblyScript compiler flags of the wasm module's two builds: scripts/build-wasm.mjs compiles with them,
// bench/seq_kernels.mjs compiles A/B builds with the same ones.

// No GC runtime (`stub`, and the kernels allocate nothing), no `abort` import, memory exported and
// laid out by JavaScript from `heapBase()` up (see src/backend/wasm.ts).
// Threads (src/backend/threads/): the memory is IMPORTED ("env" "memory", limits 1..65536 pages, i.e. up to
// 4 GiB), so the same bytes run on a plain memory or, with the import's limits flag patched to 'shared' at
// load time (threads/shared_module.ts), on one shared WebAssembly.Memory used by every worker. The module
// has no data segments, so instantiating it once per worker writes nothing into the shared memory.
const THREAD_FLAGS = ['--importMemory', '--maximumMemory', '65536'];

export const ASC_FLAGS = [
  '--enable',
  'simd',
  '-O3',
  '--noAssert',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--initialMemory',
  '1',
  ...THREAD_FLAGS,
];

// The relaxed-SIMD variant: the same sources with ASC_FEATURE_RELAXED_SIMD true (`madd` in assembly/fma.ts
// becomes f32x4.relaxed_madd). src/backend/wasm_variant.ts loads it where the engine validates relaxed SIMD.
export const ASC_RELAXED_FLAGS = [...ASC_FLAGS, '--enable', 'relaxed-simd'];
