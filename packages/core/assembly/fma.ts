// a·b + c on f32x4 lanes, compiled two ways from the same sources (scripts/build-wasm.mjs builds both):
// - the plain-SIMD module: f32x4.mul then f32x4.add (two roundings), runs wherever 128-bit SIMD does;
// - the relaxed-SIMD module (`--enable relaxed-simd`, so ASC_FEATURE_RELAXED_SIMD is true): f32x4.relaxed_madd,
//   which the engine may fuse (one rounding: an FMA instruction where the CPU has one) or not.
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant: each module contains only its own branch.
// src/backend/wasm_variant.ts picks the relaxed module where WebAssembly.validate accepts relaxed SIMD.

/** a·b + c per lane (fused in the relaxed-SIMD module where the engine fuses). */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
