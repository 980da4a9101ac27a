/**
 * Structural fuzzer (issue #13): 10^4 seeded topologies and option bags — wrapper nesting, shared
 * sub-objects, sizes, typos, inherited names, strings where booleans go, hostile strings — loaded through
 * `loadLayersModel(io.fromMemory(...))`'s synchronous core. Each case must give a model or the library's own
 * Error ('loadLayersModel: ...', a plain Error), leave no variable registered when it fails, and no prototype
 * may change. Seeded: a failure prints the seed and the case. No wall-clock bound per case (it would flake on a
 * loaded machine): a hang fails through the test's timeout; bounded cost per input byte is asserted by
 * count and by limits, not time, in reliability/loading.test.ts.
 */
import { LoadError } from '@recurrent/core';
import { registeredTrainableVariables } from '@recurrent/core';
import { resetNameCounters } from '@recurrent/layers';
import type { ModelArtifacts } from '@recurrent/models';
import { modelFromArtifacts } from '../../src/engine/model_load';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const CASES = 10_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INHERITED = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];
const CLASSES = [
  'Dense',
  'LSTM',
  'GRU',
  'SimpleRNN',
  'Dropout',
  'Activation',
  'Masking',
  'Embedding',
  'LayerNormalization',
  'Flatten',
  'RepeatVector',
  'Reshape',
  'Permute',
  'GlobalAveragePooling1D',
  'SpatialDropout1D',
];
const WRAPPERS = ['TimeDistributed', 'Bidirectional', 'Sequential'];
const KEYS = [
  'units',
  'return_sequences',
  'go_backwards',
  'activation',
  'recurrent_activation',
  'use_bias',
  'rate',
  'kernel_initializer',
  'dropout',
  'reset_after',
  'unit_forget_bias',
  'input_dim',
  'output_dim',
  'n',
  'target_shape',
  'dims',
  'mask_value',
  'axis',
  'epsilon',
  'stateful',
  'return_state',
  'merge_mode',
];

function gen(r: () => number): { artifacts: ModelArtifacts; strict: boolean } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const value = (): Json => {
    const k = r();
    if (k < 0.25) return int(-2, 9);
    if (k < 0.35) return pick([true, false, 'false', 'true', null]);
    if (k < 0.45) return pick(['tanh', 'relu', 'sigmoid', 'hard_sigmoid', 'linear', ...INHERITED]);
    if (k < 0.5) return pick([NaN, Infinity, 1e12, -0, 0.5, 2 ** 31]);
    if (k < 0.55)
      return { class_name: pick(['GlorotUniform', 'Orthogonal', 'Zeros', ...INHERITED]), config: { seed: pick([null, 1, 'x']) } };
    if (k < 0.6) return pick([[null, 3], [2, 2], 'abc', [], [null, -1]]);
    if (k < 0.63) return 'x'.repeat(int(0, 3) === 3 ? 70_000 : 10);
    return int(1, 6);
  };
  const shared: Json[] = [];
  const layer = (depth: number): Json => {
    if (depth < 20 && r() < 0.15) {
      const w = pick(WRAPPERS);
      const inner = layer(depth + 1);
      if (w === 'Sequential') return { class_name: 'Sequential', config: { name: `s${depth}`, layers: [inner] } };
      return { class_name: w, config: { layer: inner, ...(r() < 0.2 ? { merge_mode: pick(['concat', 'sum', 'x']) } : {}) } };
    }
    const config: Json = {};
    if (r() < 0.7) config.units = int(1, 6);
    const n = int(0, 4);
    for (let i = 0; i < n; i++) {
      let key = pick(KEYS);
      if (r() < 0.1) key = key.slice(0, -1); // typo
      if (r() < 0.05) key = pick(INHERITED.filter((k) => k !== '__proto__' && k !== 'constructor'));
      config[key] = value();
    }
    if (r() < 0.1 && shared.length > 0) config.extra = pick(shared); // a shared sub-object
    const entry = { class_name: r() < 0.05 ? pick(INHERITED) : pick(CLASSES), config };
    if (r() < 0.2) shared.push(config);
    return entry;
  };
  const layers: Json[] = [];
  const count = int(0, 4);
  for (let i = 0; i < count; i++) layers.push(layer(0));
  if (layers.length > 0 && r() < 0.8) {
    layers[0].config.batch_input_shape = r() < 0.9 ? [null, int(1, 4), int(1, 4)].slice(0, int(2, 3)) : pick(['[null, 3]', 5, [null, 1e9]]);
  }
  const topology: Json = { class_name: r() < 0.03 ? pick(['Functional', ...INHERITED]) : 'Sequential', config: { name: 'fz', layers } };
  if (r() < 0.05) topology.keras_version = pick(['3.3.3', '2.15.0', 'keras v3', '9'.repeat(int(1, 300)), 'tfjs-layers 4.0.0']);
  const trainingConfig =
    r() < 0.1
      ? { loss: pick(['mse', ...INHERITED]), optimizer_config: { class_name: pick(['Adam', ...INHERITED]), config: {} } }
      : undefined;
  return { artifacts: { modelTopology: topology, trainingConfig } as ModelArtifacts, strict: r() < 0.6 };
}

const protoSnapshot = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');

describe('structural fuzzer: topologies and option bags', () => {
  it(`${CASES} seeded cases: own errors only, bounded time, nothing left registered, no prototype changed`, () => {
    const before = protoSnapshot();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const outcome = { loaded: 0, refused: 0 };
    try {
      for (let seed = 1; seed <= CASES; seed++) {
        resetNameCounters();
        const { artifacts, strict } = gen(mulberry32(seed));
        const vars = registeredTrainableVariables().length;
        try {
          const m = modelFromArtifacts(artifacts, { strict });
          outcome.loaded++;
          m.dispose();
        } catch (e) {
          outcome.refused++;
          const err = e as Error;
          // The loader wraps anything unexpected as 'unexpected failure ...': that, or a raw JS message inside, is a finding.
          const raw =
            /unexpected failure|is not a function|Cannot read propert|Invalid typed array|is not iterable|Maximum call stack|\[object Object\]/;
          const own =
            err instanceof Error &&
            (err.constructor === Error || err instanceof LoadError) &&
            err.message.startsWith('loadLayersModel: ') &&
            !raw.test(err.message);
          const leaked = registeredTrainableVariables().length !== vars;
          if (!own || leaked) {
            let shown = '';
            try {
              shown = JSON.stringify(artifacts).slice(0, 1500);
            } catch {
              shown = '(cyclic)';
            }
            throw new Error(
              `seed ${seed} (strict ${strict}): ${leaked ? 'variables left registered after ' : ''}${err?.constructor?.name}: ${err?.message?.slice(0, 400)}\n${shown}`,
            );
          }
        }
      }
    } finally {
      warn.mockRestore();
    }
    expect(protoSnapshot()).toBe(before);
    expect(({} as Json).polluted).toBeUndefined();
    // Both outcomes occur, so the generator exercises loading as well as refusals.
    expect(outcome.loaded).toBeGreaterThan(100);
    expect(outcome.refused).toBeGreaterThan(1000);
  }, 120_000);
});
