/**
 * Optimizer.getWeights / setWeights (tfjs's optimizer weights) and the optimizer state in model files:
 * - every optimizer: setWeights(getWeights()) on a fresh optimizer continues as the original does (and a fresh one
 *   does not), names and order as tfjs lays them out (the tfjs comparisons are in
 *   test/serialization/optimizer_weights_tfjs.test.ts);
 * - bad input refused with a ValueError naming the optimizer and the weight, the state kept;
 * - model files: save → load → training continues for the optimizers tfjs cannot check (AdamW, Nadam, Adamax,
 *   Adadelta); the model part of the file is unchanged by includeOptimizer; hostile optimizer specs are refused
 *   with a LoadError (strict) or skipped with a warning (non-strict); without a training config they are ignored.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LoadError, Tensor, tensor, ValueError, variable } from '@recurrent/core';
import type { Variable } from '@recurrent/core';
import { layers, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, Optimizer, sequential, train } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { saveToMemory } from '../serialization/helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeEach(() => resetNameCounters());

const makers: [string, () => Optimizer, string[]][] = [
  ['sgd', () => train.sgd(0.1), []],
  ['momentum (nesterov)', () => train.momentum(0.1, 0.9, true), ['momentum']],
  ['adam', () => train.adam(0.05), ['m', 'v']],
  ['adamax (decay)', () => train.adamax(0.05, 0.9, 0.999, 1e-7, 0.01), ['m', 'v']],
  ['rmsprop', () => train.rmsprop(0.01, 0.9, 0.5), ['rms', 'momentum']],
  ['rmsprop (centered)', () => train.rmsprop(0.01, 0.9, 0.5, 1e-7, true), ['rms', 'momentum', 'mg']],
  ['adagrad', () => train.adagrad(0.1, 0.3), ['accumulator']],
  ['adadelta', () => train.adadelta(1, 0.95), ['accum_grad', 'accum_var']],
  ['adamw', () => train.adamw(0.05), ['m', 'v']],
  ['nadam', () => train.nadam(0.05), ['m', 'v']],
];

const grads = [
  [0.5, -1, 2, 0.1],
  [1, 0.25, -0.5, -0.3],
  [-2, 1, 0.75, 0.2],
  [0.3, -0.3, 1.5, -1],
];

let unique = 0;
function pair(): [Variable, Variable] {
  unique++;
  return [variable(tensor([1, -2, 0.5, 3], [2, 2]), true, `ow_a${unique}`), variable(tensor([0.2, -0.1], [2]), true, `ow_b${unique}`)];
}
function step(o: Optimizer, [a, b]: Variable[], k: number): void {
  o.applyGradients({ [a.name]: tensor(grads[k], [2, 2]), [b.name]: tensor(grads[k].slice(0, 2), [2]) }, [a, b]);
}

describe.each(makers)('%s: getWeights / setWeights', (_title, make, slots) => {
  it("tfjs's names and order; a fresh optimizer given them continues as the original (a fresh one alone does not)", async () => {
    const [a, b] = pair();
    const original = make();
    expect((await original.getWeights()).map((w) => w.name)).toEqual(['iter']);
    for (let k = 0; k < 3; k++) step(original, [a, b], k);
    const weights = await original.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', ...slots.flatMap((s) => [`${a.name}/${s}`, `${b.name}/${s}`])]);
    expect(weights[0].tensor.dtype).toBe('int32');
    expect(weights[0].tensor.shape).toEqual([]);
    expect(Array.from(weights[0].tensor.values)).toEqual([3]);
    weights.slice(1).forEach((w, i) => expect(w.tensor.shape).toEqual(i % 2 === 0 ? [2, 2] : [2]));

    const [c, d] = [variable(a.clone(), true, `${a.name}_c`), variable(b.clone(), true, `${b.name}_c`)];
    const restored = make();
    // By position onto other variables (as a model file is loaded), the names' slot suffixes checked.
    await restored.setWeights(weights, [c, d]);
    expect(restored.iterations).toBe(3);
    expect((await restored.getWeights()).map((w) => w.name)).toEqual(
      weights.map((w) => w.name.replace(a.name, c.name).replace(b.name, d.name)),
    );
    const [e, f] = [variable(a.clone(), true, `${a.name}_e`), variable(b.clone(), true, `${b.name}_e`)];
    step(original, [a, b], 3);
    step(restored, [c, d], 3);
    step(make(), [e, f], 3);
    // Adam's and Adamax's β powers come back as β^(t+1) in float32 (tfjs's setWeights), not the product of t+1 roundings.
    const tol = /adam(ax)?\b/.test(_title) && !/adamw/.test(_title) ? 1e-6 : 0;
    for (const [x, y] of [
      [a, c],
      [b, d],
    ]) {
      Array.from(x.values).forEach((v, i) => expect(Math.abs(y.values[i] - v)).toBeLessThanOrEqual(tol));
    }
    if (slots.length > 0) expect(Array.from(e.values)).not.toEqual(Array.from(a.values));
  });
});

describe('setWeights refuses bad input, naming the optimizer and the weight, and keeps the state', () => {
  const cases: Array<[string, (a: Variable, b: Variable) => unknown, RegExp]> = [
    ['not an array', () => ({ iter: 3 }), /Adam\.setWeights: expected an array of \{name, tensor\}.*received an object/],
    ['empty', () => [], /Adam\.setWeights: expected an array of \{name, tensor\} \('iter' then '<variable>\/<slot>' for the slots m, v\)/],
    [
      'no tensor',
      () => [{ name: 'iter', tensor: 3 }],
      /Adam\.setWeights: weight 0 must be \{name: string, tensor: Tensor\}, received 'iter' with tensor 3/,
    ],
    [
      'iter not first',
      (a) => [{ name: `${a.name}/m`, tensor: tensor([0, 0, 0, 0], [2, 2]) }],
      /the first weight must be 'iter'.*received '.*\/m' of shape \[2,2\]/,
    ],
    [
      'iter negative',
      () => [{ name: 'iter', tensor: tensor(-2, [], 'int32') }],
      /the first weight must be 'iter', a scalar non-negative integer.*holding -2/,
    ],
    ['iter fractional', () => [{ name: 'iter', tensor: tensor(1.5) }], /holding 1.5/],
    [
      'iter beyond 2^53',
      () => [{ name: 'iter', tensor: tensor(1e30) }],
      /a scalar non-negative integer .*holding 1\.0000000150474662e\+30/,
    ],
    ['iter not a scalar', () => [{ name: 'iter', tensor: tensor([1, 2]) }], /received 'iter' of shape \[2\]/],
    [
      'unknown slot',
      (a) => [iter(2), { name: `${a.name}/velocity`, tensor: tensor([0, 0, 0, 0], [2, 2]) }],
      /Adam\.setWeights: unknown weight '.*\/velocity'; expected 'iter' then '<variable>\/<slot>' for the slots m, v/,
    ],
    ['no variable part', () => [iter(2), { name: 'm', tensor: tensor([0]) }], /unknown weight 'm'/],
    [
      'no such variable',
      () => [iter(2), { name: 'nowhere/kernel/m', tensor: tensor([0]) }],
      /weight 'nowhere\/kernel\/m' is the state of 'nowhere\/kernel', but no variable has that name/,
    ],
    [
      'wrong shape',
      (a) => [
        iter(2),
        { name: `${a.name}/m`, tensor: tensor([0, 0, 0, 0], [4]) },
        { name: `${a.name}/v`, tensor: tensor([0, 0, 0, 0], [4]) },
      ],
      /weight '.*\/m' has shape \[4\] but variable '.*' has shape \[2,2\]/,
    ],
    [
      'NaN',
      (a) => [
        iter(2),
        { name: `${a.name}/m`, tensor: tensor([0, NaN, 0, 0], [2, 2]) },
        { name: `${a.name}/v`, tensor: tensor([0, 0, 0, 0], [2, 2]) },
      ],
      /weight '.*\/m' holds a value that is not a finite number/,
    ],
    [
      'Infinity',
      (a) => [iter(2), { name: `${a.name}/v`, tensor: tensor([0, Infinity, 0, 0], [2, 2]) }],
      /weight '.*\/v' holds a value that is not a finite number/,
    ],
    [
      'twice',
      (a) => [
        iter(2),
        { name: `${a.name}/m`, tensor: tensor([0, 0, 0, 0], [2, 2]) },
        { name: `${a.name}/m`, tensor: tensor([0, 0, 0, 0], [2, 2]) },
      ],
      /weight '.*\/m' is given twice/,
    ],
    [
      'half a pair',
      (a) => [iter(2), { name: `${a.name}/m`, tensor: tensor([0, 0, 0, 0], [2, 2]) }],
      /weight '.*\/v' is missing \(each variable needs m, v\)/,
    ],
  ];
  const iter = (n: number) => ({ name: 'iter', tensor: tensor(n, [], 'int32') });

  it.each(cases)('%s', async (_t, weights, message) => {
    const [a, b] = pair();
    const o = train.adam(0.05);
    for (let k = 0; k < 2; k++) step(o, [a, b], k);
    const kept = o.getState();
    await expect(o.setWeights(weights(a, b) as never)).rejects.toThrow(message);
    await expect(o.setWeights(weights(a, b) as never)).rejects.toBeInstanceOf(ValueError);
    expect(o.getState()).toEqual(kept);
  });

  it("Nadam's step scalar after a file's step count: the float64 product over every step, without looping 2^31 times", async () => {
    const [a, b] = pair();
    const o = train.nadam(0.05, 0.9995);
    const w = (n: number) => [{ name: 'iter', tensor: tensor(n, [], 'int32') }];
    await o.setWeights(w(25000));
    let expected = 1;
    for (let t = 1; t <= 25000; t++) expected *= 0.9995 * (1 - 0.5 * 0.96 ** t);
    expect(o.getState().scalars.uProduct / expected).toBeCloseTo(1, 12);
    await o.setWeights(w(2 ** 31 - 1));
    expect(o.getState().scalars.uProduct).toBe(0);
    step(o, [a, b], 0);
    expect(o.iterations).toBe(2 ** 31);
    expect(Array.from(a.values).every(Number.isFinite)).toBe(true);
  });

  it('by position (varList): the count and each slot suffix must fit tfjs order', async () => {
    const [a, b] = pair();
    const o = train.rmsprop(0.01);
    for (let k = 0; k < 2; k++) step(o, [a, b], k);
    const w = await o.getWeights();
    const fresh = train.rmsprop(0.01);
    await expect(fresh.setWeights(w.slice(0, 4), [a, b])).rejects.toThrow(
      /RMSProp\.setWeights: expected 'iter' and 2 × 2 state weights \(rms, momentum for each of 2 variables\), received 3 after 'iter'/,
    );
    // rms and momentum swapped: the names tell.
    const swapped = [w[0], w[3], w[4], w[1], w[2]];
    await expect(fresh.setWeights(swapped, [a, b])).rejects.toThrow(/weight 1 '.*\/momentum' should be the state 'rms' of variable 0/);
    await expect(train.sgd(0.1).setWeights(w, [a, b])).rejects.toThrow(/SGD\.setWeights: expected 'iter' and 0 × 2 state weights/);
    expect(fresh.iterations).toBe(0);
  });
});

// ------------------------------------------------------------------------------------------------------------------
// Model files

const xs = () => tensor([0.1, -0.4, 0.3, 0.9, -0.2, 0.5, 0.7, 0.05, -0.6], [3, 3]);
const ys = () => tensor([0.5, -0.25, 1, 0.75, -1, 0.3], [3, 2]);

function model(make: () => Optimizer): any {
  const m = sequential({ layers: [layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), layers.dense({ units: 2 })] });
  m.compile({ optimizer: make(), loss: 'meanSquaredError' });
  return m;
}

const weightsOf = (m: any): number[] => m.getWeights().flatMap((w: Tensor) => Array.from(w.values));

describe('model files with the optimizer state', () => {
  it.each(makers.filter(([t]) => /adamw|nadam|adamax|adadelta|centered/.test(t)))(
    '%s: save(includeOptimizer) → loadLayersModel → training continues as the original does',
    async (_t, make) => {
      const m = model(make);
      for (let k = 0; k < 3; k++) await m.trainOnBatch(xs(), ys());
      const a = await saveToMemory(m, io, { includeOptimizer: true });
      const loaded = await loadLayersModel(io.fromMemory(a));
      expect(loaded.optimizer.getClassName()).toBe(m.optimizer.getClassName());
      expect(loaded.optimizer.iterations).toBe(3);
      for (let k = 0; k < 3; k++) {
        await m.trainOnBatch(xs(), ys());
        await loaded.trainOnBatch(xs(), ys());
      }
      const expected = weightsOf(m);
      weightsOf(loaded).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-6));
    },
  );

  it('the model part of the file is what a save without includeOptimizer writes; an untrained optimizer writes iter only', async () => {
    const m = model(() => train.adam(0.01));
    const before = await saveToMemory(m, io, { includeOptimizer: true });
    expect(before.weightSpecs!.filter((s) => s.group === 'optimizer')).toEqual([
      { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' },
    ]);
    await m.trainOnBatch(xs(), ys());
    const plain = await saveToMemory(m, io);
    const full = await saveToMemory(m, io, { includeOptimizer: true });
    expect(plain.weightSpecs!.every((s) => s.group === undefined)).toBe(true);
    expect(full.weightSpecs!.slice(0, plain.weightSpecs!.length)).toEqual(plain.weightSpecs);
    const plainBytes = new Uint8Array(plain.weightData as ArrayBuffer);
    expect(new Uint8Array(full.weightData as ArrayBuffer).subarray(0, plainBytes.length)).toEqual(plainBytes);
    // iter + m and v of 4 weights: 1 + 2 × (12 + 4 + 8 + 2) values of 4 bytes.
    expect((full.weightData as ArrayBuffer).byteLength - plainBytes.length).toBe(4 * (1 + 2 * 26));
    expect(full.weightSpecs!.slice(plain.weightSpecs!.length).map((s) => s.name)).toEqual([
      'iter',
      ...['m', 'v'].flatMap((s) => m.trainableWeights.map((v: Variable) => `${v.name}/${s}`)),
    ]);
  });

  it('an optimizer that stepped another model, saved before this one trains: complete state (initial values), loads and continues', async () => {
    const other = model(() => train.adam(0.05));
    for (let k = 0; k < 2; k++) await other.trainOnBatch(xs(), ys());
    const m = model(() => train.adam(0.05));
    m.compile({ optimizer: other.optimizer, loss: 'meanSquaredError' });
    const a = await saveToMemory(m, io, { includeOptimizer: true });
    const opt = a.weightSpecs!.filter((s) => s.group === 'optimizer');
    expect(opt.length).toBe(1 + 2 * 4);
    const loaded = await loadLayersModel(io.fromMemory(a));
    expect(loaded.optimizer.iterations).toBe(2);
    for (let k = 0; k < 2; k++) {
      await m.trainOnBatch(xs(), ys());
      await loaded.trainOnBatch(xs(), ys());
    }
    const expected = weightsOf(m);
    weightsOf(loaded).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-6));
  });

  it("file://: one weights file and manifest group, the optimizer specs last with group 'optimizer' (tfjs's layout); loads back and continues", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-optw-'));
    try {
      const m = model(() => train.rmsprop(0.01, 0.9, 0.3));
      for (let k = 0; k < 2; k++) await m.trainOnBatch(xs(), ys());
      await m.save(`file://${dir}`, { includeOptimizer: true });
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      expect(json.trainingConfig.optimizer_config.class_name).toBe('RMSProp');
      expect(json.weightsManifest.length).toBe(1);
      const specs = json.weightsManifest[0].weights;
      expect(specs.map((s: any) => s.group ?? 'model')).toEqual([...Array(4).fill('model'), ...Array(9).fill('optimizer')]);
      const loaded = await loadLayersModel(`file://${path.join(dir, 'model.json')}`);
      expect(loaded.optimizer.iterations).toBe(2);
      await m.trainOnBatch(xs(), ys());
      await loaded.trainOnBatch(xs(), ys());
      expect(weightsOf(loaded)).toEqual(weightsOf(m));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A trained model's artifacts with its optimizer specs/values replaced. */
  async function tampered(change: (specs: any[], values: Float32Array[]) => void): Promise<ModelArtifacts> {
    const m = model(() => train.adam(0.01));
    for (let k = 0; k < 2; k++) await m.trainOnBatch(xs(), ys());
    const a = await saveToMemory(m, io, { includeOptimizer: true });
    const all = io.decodeWeights(a.weightData as ArrayBuffer, a.weightSpecs!);
    const specs = a.weightSpecs!.map((s) => ({ ...s, shape: s.shape.slice() }));
    const vals = specs.map((s) => Float32Array.from(all[s.name].values));
    change(specs, vals);
    const encoded = io.encodeWeights(
      specs.map((s, i) => ({
        name: s.name,
        tensor: new Tensor(s.dtype === 'int32' ? Int32Array.from(vals[i]) : vals[i], s.shape, s.dtype),
      })),
    );
    return { ...a, weightSpecs: specs, weightData: encoded.data };
  }
  const opt = (specs: any[]) => specs.findIndex((s) => s.group === 'optimizer');

  const hostile: Array<[string, (specs: any[], values: Float32Array[]) => void, RegExp]> = [
    ['a slot of another shape', (s, v) => ((s[opt(s) + 1].shape = [12]), v), /has shape \[12\] but variable '.*' has shape \[3,4\]/],
    ['a NaN in a slot', (s, v) => (v[opt(s) + 2][0] = NaN), /weight '.*\/m' holds a value that is not a finite number/],
    [
      'one slot fewer',
      (s, v) => (s.splice(s.length - 1, 1), v.splice(v.length - 1, 1)),
      /expected 'iter' and 2 × 4 state weights .* received 7 after 'iter'/,
    ],
    [
      'one slot fewer: the missing weight is named',
      (s, v) => (s.splice(s.length - 1, 1), v.splice(v.length - 1, 1)),
      /received 7 after 'iter': '.*\/v' \(the state 'v' of variable 3\) and after it are missing/,
    ],
    [
      'a slot more: the extra weight is named',
      (s, v) => (s.push({ ...s[s.length - 1], name: 'extra/v' }), v.push(v[v.length - 1])),
      /received 9 after 'iter': 'extra\/v' and after it are extra/,
    ],
    [
      // tfjs restores the step count alone; Adam would then go on with zero moments but a late step's bias correction.
      'every slot cut, only a step count of 2 left (a silent partial restore)',
      (s, v) => (s.splice(opt(s) + 1), v.splice(opt(s) + 1)),
      /the step count is 2 but there are no state weights: expected m, v for each of the 4 trainable weights/,
    ],
    ['a negative step count', (s, v) => (v[opt(s)][0] = -5), /the first weight must be 'iter', a scalar non-negative integer .*holding -5/],
    [
      'm and v swapped',
      (s, v) => s.push(...s.splice(opt(s) + 1, 4)) && v.push(...v.splice(opt(s) + 1, 4)),
      /should be the state 'm' of variable 0/,
    ],
  ];

  it.each(hostile)(
    '%s: refused with a LoadError (strict); skipped with a warning, the optimizer fresh (non-strict)',
    async (_t, change, message) => {
      const a = await tampered(change);
      const p = loadLayersModel(io.fromMemory(a));
      await expect(p).rejects.toThrow(LoadError);
      await expect(loadLayersModel(io.fromMemory(a))).rejects.toThrow(message);
      await expect(loadLayersModel(io.fromMemory(a))).rejects.toThrow(
        /^loadLayersModel: cannot restore the optimizer state from the file's optimizer weights: Adam\.setWeights: /,
      );
      const m = await loadLayersModel(io.fromMemory(a), { strict: false });
      expect(m.compiled).toBe(true);
      expect(m.optimizer.iterations).toBe(0);
      expect(m.loadReport!.skippedOptimizerWeights).toEqual(a.weightSpecs!.filter((s) => s.group === 'optimizer').map((s) => s.name));
      expect(m.loadReport!.warnings.join('\n')).toMatch(/cannot restore the optimizer state.*The optimizer starts afresh/s);
    },
  );

  it('absurd optimizer shapes are refused before anything is allocated', async () => {
    const a = await tampered(() => undefined);
    const huge = {
      ...a,
      weightSpecs: a.weightSpecs!.map((s, i) => (i === a.weightSpecs!.length - 1 ? { ...s, shape: [65536, 65536] } : s)),
    };
    await expect(loadLayersModel(io.fromMemory(huge))).rejects.toThrow(/'shape' \[65536,65536\] has more than 2147483647/);
    const big = { ...a, weightSpecs: a.weightSpecs!.map((s, i) => (i === a.weightSpecs!.length - 1 ? { ...s, shape: [1000, 1000] } : s)) };
    await expect(loadLayersModel(io.fromMemory(big))).rejects.toThrow(/the weight data is truncated: weight '.*\/v' \(shape \[1000,1000\]/);
    await expect(loadLayersModel(io.fromMemory(big))).rejects.toBeInstanceOf(LoadError);
  });

  it('without a training config the optimizer weights are ignored (reported), as tfjs does', async () => {
    const a = await tampered(() => undefined);
    const m = await loadLayersModel(io.fromMemory({ ...a, trainingConfig: undefined }));
    expect(m.compiled).toBe(false);
    expect(m.loadReport!.skippedOptimizerWeights.length).toBe(9);
  });
});
