/**
 * nn.init: the constant fills exactly; the random fills by their sample statistics, with tolerances from the
 * sample size (5 standard errors: the test fails by chance with probability < 1e-6 per statistic); orthogonal_ by
 * WᵀW = gain²·I. Fans and gains are checked against PyTorch in modules_vs_pytorch.test.ts. Also Module.apply's order.
 */
import { Tensor, tensor, variable, Variable } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { num } from './helpers';

const param = (shape: number[]): Variable => variable(tensor(new Float32Array(shape.reduce((a, d) => a * d, 1)), shape, 'float32'));

function stats(v: Tensor): { n: number; mean: number; variance: number; min: number; max: number } {
  const x = num(v);
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance, min: Math.min(...x), max: Math.max(...x) };
}

/** Checks the sample mean and variance of `v` against a uniform(lo, hi) distribution. */
function expectUniform(v: Tensor, lo: number, hi: number): void {
  const s = stats(v);
  const w = hi - lo;
  expect(s.min).toBeGreaterThanOrEqual(lo);
  expect(s.max).toBeLessThanOrEqual(hi);
  // P(no sample in the top 1% of the range) = 0.99^n, negligible for n ≥ 10⁴.
  expect(s.max).toBeGreaterThan(hi - 0.01 * w);
  expect(s.min).toBeLessThan(lo + 0.01 * w);
  expect(Math.abs(s.mean - (lo + hi) / 2)).toBeLessThan((5 * w) / Math.sqrt(12 * s.n));
  // Var(s²) ≈ (μ₄ − σ⁴)/n with μ₄ = w⁴/80, σ⁴ = w⁴/144.
  expect(Math.abs(s.variance - (w * w) / 12)).toBeLessThan(5 * w * w * Math.sqrt((1 / 80 - 1 / 144) / s.n));
}

/** Checks the sample mean and variance of `v` against N(mean, std²) (Var(s²) = 2σ⁴/n). */
function expectNormal(v: Tensor, mean: number, std: number): void {
  const s = stats(v);
  expect(Math.abs(s.mean - mean)).toBeLessThan((5 * std) / Math.sqrt(s.n));
  expect(Math.abs(s.variance - std * std)).toBeLessThan(5 * std * std * Math.sqrt(2 / s.n));
}

describe('nn.init', () => {
  // [out, in] = [64, 300]: fanIn 300, fanOut 64; 19 200 samples.
  const shape = [64, 300];

  it('constant_, zeros_, ones_ fill exactly and return the parameter', () => {
    const w = param([3, 4]);
    expect(nn.init.constant_(w, 0.25)).toBe(w);
    expect(num(w)).toEqual(new Array(12).fill(0.25));
    nn.init.ones_(w);
    expect(num(w)).toEqual(new Array(12).fill(1));
    nn.init.zeros_(w);
    expect(num(w)).toEqual(new Array(12).fill(0));
  });

  it('uniform_ and normal_ with their defaults and options', () => {
    const w = param(shape);
    expectUniform(nn.init.uniform_(w, { seed: 1 }), 0, 1);
    expectUniform(nn.init.uniform_(w, { a: -0.3, b: 0.7, seed: 2 }), -0.3, 0.7);
    expectNormal(nn.init.normal_(w, { seed: 3 }), 0, 1);
    expectNormal(nn.init.normal_(w, { mean: 2, std: 0.02, seed: 4 }), 2, 0.02);
  });

  it('xavier: bound gain·√(6/(fanIn + fanOut)), std gain·√(2/(fanIn + fanOut))', () => {
    const w = param(shape);
    const std = Math.sqrt(2 / (300 + 64));
    expectUniform(nn.init.xavierUniform_(w, { seed: 5 }), -Math.sqrt(3) * std, Math.sqrt(3) * std);
    const g = nn.init.calculateGain('tanh');
    expectUniform(nn.init.xavierUniform_(w, { gain: g, seed: 6 }), -Math.sqrt(3) * std * g, Math.sqrt(3) * std * g);
    expectNormal(nn.init.xavierNormal_(w, { gain: 2, seed: 7 }), 0, 2 * std);
  });

  it("kaiming: defaults a = 0, 'fanIn', 'leaky_relu' (gain √2); mode 'fanOut'; relu; leaky slope", () => {
    const w = param(shape);
    const b = Math.sqrt(2) * Math.sqrt(3 / 300);
    expectUniform(nn.init.kaimingUniform_(w, { seed: 8 }), -b, b);
    expectNormal(nn.init.kaimingNormal_(w, { mode: 'fanOut', nonlinearity: 'relu', seed: 9 }), 0, Math.sqrt(2 / 64));
    expectNormal(nn.init.kaimingNormal_(w, { mode: 'fan_out', seed: 9 }), 0, Math.sqrt(2 / 64));
    const g = Math.sqrt(2 / (1 + 0.2 * 0.2));
    expectUniform(nn.init.kaimingUniform_(w, { a: 0.2, seed: 10 }), -g * Math.sqrt(3 / 300), g * Math.sqrt(3 / 300));
    // A conv-style weight [out, in, k]: fanIn = in·k.
    const c = param([40, 30, 20]);
    expectNormal(nn.init.kaimingNormal_(c, { nonlinearity: 'linear', seed: 11 }), 0, 1 / Math.sqrt(600));
  });

  it.each([
    ['wide [5, 12]', [5, 12]],
    ['tall [12, 5]', [12, 5]],
    ['square [6, 6]', [6, 6]],
    ['3-D [4, 3, 2] (flattened to [4, 6])', [4, 3, 2]],
  ] as [string, number[]][])('orthogonal_ %s: orthonormal rows or columns (times gain)', (_, s) => {
    const w = param(s);
    const gain = 1.5;
    const x = num(nn.init.orthogonal_(w, { gain, seed: 12 }));
    const rows = s[0];
    const cols = x.length / rows;
    const k = Math.min(rows, cols);
    // Gram matrix of the shorter side: rows·rowsᵀ when rows ≤ cols, else colsᵀ·cols.
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let d = 0;
        if (rows <= cols) for (let c = 0; c < cols; c++) d += x[i * cols + c] * x[j * cols + c];
        else for (let r = 0; r < rows; r++) d += x[r * cols + i] * x[r * cols + j];
        expect(Math.abs(d - (i === j ? gain * gain : 0))).toBeLessThan(1e-5);
      }
    }
  });

  it('the same seed gives the same values; another seed others', () => {
    const a = num(nn.init.xavierNormal_(param([4, 5]), { seed: 21 }));
    expect(num(nn.init.xavierNormal_(param([4, 5]), { seed: 21 }))).toEqual(a);
    expect(num(nn.init.xavierNormal_(param([4, 5]), { seed: 22 }))).not.toEqual(a);
  });

  it('bad input names the function, the argument, expected and received', () => {
    expect(() => nn.init.zeros_(tensor([1, 2]) as never)).toThrow(
      /nn\.init\.zeros_: tensor must be a Variable .*received a plain Tensor of shape \[2\]/,
    );
    expect(() => nn.init.zeros_(null as never)).toThrow(/nn\.init\.zeros_: tensor must be a Variable .*received null/);
    expect(() => nn.init.xavierUniform_(param([5]))).toThrow(
      /fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions, received shape \[5\]/,
    );
    expect(() => nn.init.kaimingNormal_(param([2, 2]), { mode: 'fan_avg' as never })).toThrow(
      /kaimingNormal_: mode must be 'fanIn' or 'fanOut', received the string 'fan_avg'/,
    );
    expect(() => nn.init.kaimingNormal_(param([2, 2]), { nonlinearity: 'gelu' as never })).toThrow(
      /calculateGain: unsupported nonlinearity the string 'gelu'/,
    );
    expect(() => nn.init.uniform_(param([2]), { low: 0 } as never)).toThrow(/nn\.init\.uniform_: unknown option 'low'/);
    expect(() => nn.init.uniform_(param([2]), { a: 1, b: 0 })).toThrow(/uniform_: a must be <= b, received a = 1, b = 0/);
    expect(() => nn.init.normal_(param([2]), { std: -1 })).toThrow(/normal_: std must be a finite number >= 0, received -1/);
    expect(() => nn.init.orthogonal_(param([3]))).toThrow(
      /orthogonal_: only tensors with 2 or more dimensions are supported, received shape \[3\]/,
    );
    expect(() => nn.init.xavierUniform_(param([2, 2]), { gain: 1, sed: 3 } as never)).toThrow(
      /unknown option 'sed'; did you mean 'seed'\?/,
    );
  });
});

describe('Module.apply', () => {
  it('visits submodules (recursively, children first) then the module itself, as PyTorch, and returns it', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Sequential(new nn.ReLU(), new nn.Linear(3, 1)));
    const names = new Map(model.namedModules().map(([n, m]) => [m, n] as [nn.Module, string]));
    const order: string[] = [];
    expect(model.apply((m) => order.push(names.get(m)!))).toBe(model);
    expect(order).toEqual(['0', '1.0', '1.1', '1', '']);
  });

  it('model.apply(initWeights) initializes every Linear', () => {
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.Tanh(), new nn.Linear(3, 2));
    model.apply((m) => {
      if (m instanceof nn.Linear) {
        nn.init.constant_(m.weight, 0.5);
        if (m.bias) nn.init.zeros_(m.bias);
      }
    });
    for (const [name, p] of model.namedParameters()) expect(num(p).every((v) => v === (name.endsWith('weight') ? 0.5 : 0))).toBe(true);
    expect(() => model.apply(3 as never)).toThrow(/nn\.Sequential\.apply: fn must be a function of a module, received number/);
  });
});
