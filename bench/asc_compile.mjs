// Compiles an assembly/ folder (its index.ts) with the flags of packages/core/scripts/build-wasm.mjs (plain SIMD,
// or relaxed SIMD with RELAXED=1) for the kernel A/B benches (seq_kernels.mjs, step_kernels.mjs). Returns the
// module's bytes; with `watFile`, also writes its text form there.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ASC_FLAGS, ASC_RELAXED_FLAGS } from '../packages/core/scripts/asc_flags.mjs';

export async function compileAssembly(dir, watFile) {
  const { default: asc } = await import('assemblyscript/asc');
  let binary = null;
  let wat = null;
  const err = [];
  const text = watFile ? ['--textFile', 'm.wat'] : [];
  const { error } = await asc.main(
    [join(dir, 'index.ts'), '--outFile', 'm.wasm', ...text, ...(process.env.RELAXED ? ASC_RELAXED_FLAGS : ASC_FLAGS)],
    {
      writeFile(name, c) {
        if (name.endsWith('.wasm')) binary = c;
        if (name.endsWith('.wat')) wat = c;
      },
      stdout: { write: () => true },
      stderr: { write: (s) => (err.push(String(s)), true) },
    },
  );
  if (error) throw new Error(err.join(''));
  if (watFile) writeFileSync(watFile, wat);
  return binary;
}
