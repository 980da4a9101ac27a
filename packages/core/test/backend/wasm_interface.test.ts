/**
 * The two generated sides of the wasm interface (scripts/wasm_interface.mjs → assembly/interface.generated.ts and
 * src/backend/wasm_interface.generated.ts) agree, and the TypeScript kernels implement every activation id.
 * (`build-wasm.mjs --check`, run in wasm_binary.test.ts, fails when either file is stale.)
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import {
  CELL_GATES,
  WASM_ACTIVATION_IDS,
  WASM_ACTIVATION_NAMES,
  WASM_STEP_KIND,
  WASM_STEP_KIND_GATES,
} from '../../src/backend/wasm_interface.generated';
import { getKernelActivation, KERNEL_ACTIVATION_NAMES } from '../../src';

/** `export const NAME: i32 = value;` lines of the AssemblyScript side. */
function assemblyConstants(): Map<string, number> {
  const text = readFileSync(path.join(__dirname, '../../assembly/interface.generated.ts'), 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^export const (\w+): i32 = (\d+);/gm)) out.set(m[1], Number(m[2]));
  return out;
}

describe('wasm interface (generated)', () => {
  const as = assemblyConstants();

  it('gives each activation the same id on both sides, ids 0..n−1 in list order', () => {
    expect(WASM_ACTIVATION_NAMES.map((n) => WASM_ACTIVATION_IDS[n])).toEqual(WASM_ACTIVATION_NAMES.map((_, i) => i));
    const asIds: { [k: string]: number } = {
      tanh: as.get('TANH') as number,
      sigmoid: as.get('SIGMOID') as number,
      hardSigmoid: as.get('HARD_SIGMOID') as number,
      relu: as.get('RELU') as number,
      linear: as.get('LINEAR') as number,
      softsign: as.get('SOFTSIGN') as number,
      elu: as.get('ELU') as number,
      selu: as.get('SELU') as number,
      hardSigmoidKeras3: as.get('HARD_SIGMOID_KERAS3') as number,
    };
    expect(asIds).toEqual({ ...WASM_ACTIVATION_IDS });
    expect(as.get('ACTIVATION_COUNT')).toBe(WASM_ACTIVATION_NAMES.length);
  });

  it('lists exactly the activations the TypeScript kernels implement', () => {
    expect(KERNEL_ACTIVATION_NAMES).toEqual([...WASM_ACTIVATION_NAMES]);
    for (const n of WASM_ACTIVATION_NAMES) expect(getKernelActivation(n).name).toBe(n);
  });

  it('gives the step cell kinds and gate counts the same values on both sides', () => {
    expect(as.get('STEP_LSTM')).toBe(WASM_STEP_KIND.lstm);
    expect(as.get('STEP_GRU')).toBe(WASM_STEP_KIND.gru);
    expect(as.get('STEP_GRU_RESET_AFTER')).toBe(WASM_STEP_KIND.gruResetAfter);
    expect(as.get('STEP_SIMPLE_RNN')).toBe(WASM_STEP_KIND.simpleRNN);
    expect([as.get('LSTM_GATES'), as.get('GRU_GATES'), as.get('SIMPLE_RNN_GATES')]).toEqual([4, 3, 1]);
    expect(CELL_GATES).toEqual({ lstm: 4, gru: 3, simpleRNN: 1 });
    expect(WASM_STEP_KIND_GATES).toEqual({ 0: 4, 1: 3, 2: 3, 3: 1 });
  });
});
