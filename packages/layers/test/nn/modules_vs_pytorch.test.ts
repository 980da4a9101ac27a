/**
 * The activation modules, nn.LayerNorm, nn.init's gains and fans, and the lr schedulers MultiStepLR, LambdaLR,
 * LinearLR, OneCycleLR and SequentialLR against PyTorch 1.13 (fixtures/modules.json, written by
 * fixtures/generate_modules.py). Outputs and gradients are float32 on both sides, so they agree to a few ulps
 * (1e-5 absolute for values of order 1); learning rates are float64 on both sides (1e-12 relative).
 */
import * as fs from 'fs';
import * as path from 'path';
import { mul, NotImplementedError, sum, Tensor, tensor, variableGrads } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { expectClose, num } from './helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'modules.json'), 'utf8'));
const S = nn.optim.lrScheduler;

const t = (data: number[], shape: number[]): Tensor => tensor(Float32Array.from(data), shape, 'float32');

type ActCase = { module: string; options: object; output: number[]; inputGrad: number[] };

const makeActivation: { [k: string]: (o: any) => { forward(x: Tensor): Tensor } } = {
  ReLU: () => new nn.ReLU(),
  Tanh: () => new nn.Tanh(),
  Sigmoid: () => new nn.Sigmoid(),
  SiLU: () => new nn.SiLU(),
  GELU: (o) => new nn.GELU(o),
  LeakyReLU: (o) => new nn.LeakyReLU(o),
  ELU: (o) => new nn.ELU(o),
};

describe('activation modules vs PyTorch', () => {
  const x = t(fx.activationInput.data, fx.activationInput.shape);
  const w = t(fx.activationWeight, fx.activationInput.shape);
  it.each((fx.activations as ActCase[]).map((c) => [`${c.module} ${JSON.stringify(c.options)}`, c] as [string, ActCase]))(
    '%s: output and input gradient',
    (_, c) => {
      const m = makeActivation[c.module](c.options);
      expectClose(num(m.forward(x)), c.output, 2e-6, `${c.module} output`);
      const xv = x.clone();
      xv.requiresGrad = true;
      const y = sum(mul(m.forward(xv), w));
      y.backward();
      expectClose(num(xv.grad!), c.inputGrad, 2e-6, `${c.module} grad`);
    },
  );

  it('works inside nn.Sequential, with PyTorch names for the Linear parameters around it', () => {
    const model = new nn.Sequential(new nn.Linear(7, 4, { seed: 1 }), new nn.GELU(), new nn.Linear(4, 2, { seed: 2 }), new nn.Tanh());
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(model.forward(x).shape).toEqual([3, 2]);
    expect(model.toString()).toContain("(1): GELU(approximate='none')");
  });

  it('refuses unknown options with a suggestion, bad values naming the option', () => {
    expect(() => new nn.LeakyReLU({ negative_slope: 0.1 } as never)).toThrow(
      /nn\.LeakyReLU: unknown option 'negative_slope'; did you mean 'negativeSlope'\?/,
    );
    expect(() => new nn.GELU({ approximate: 'erf' } as never)).toThrow(
      /nn\.GELU: approximate must be 'none' or 'tanh', received the string 'erf'/,
    );
    expect(() => new nn.ELU({ alpha: NaN })).toThrow(/nn\.ELU: alpha must be a finite number, received NaN/);
    expect(() => new nn.ELU(0.5 as never)).toThrow(/nn\.ELU: options must be an object of named options \(alpha\)/);
    expect(() => new nn.ReLU().forward(tensor([1, 2], [2], 'int32'))).toThrow(/nn\.ReLU: input must be float32, received int32/);
  });
});

type LNCase = {
  name: string;
  shape: number[];
  normalizedShape: number[];
  options: nn.LayerNormOptions;
  input: number[];
  params: { weight?: number[]; bias?: number[] };
  lossWeight: number[];
  output: number[];
  grads: { input: number[]; weight?: number[]; bias?: number[] };
};

describe('nn.LayerNorm vs PyTorch', () => {
  it.each((fx.layerNorm as LNCase[]).map((c) => [c.name, c] as [string, LNCase]))('%s: output, input and parameter gradients', (_, c) => {
    const ln = new nn.LayerNorm(c.normalizedShape.length === 1 ? c.normalizedShape[0] : c.normalizedShape, c.options);
    const names = Object.keys(c.params);
    expect(Object.keys(ln.stateDict())).toEqual(names);
    const sd: nn.StateDict = {};
    for (const k of names) sd[k] = t(c.params[k as 'weight']!, c.normalizedShape);
    ln.loadStateDict(sd);
    const x = t(c.input, c.shape);
    expectClose(num(ln.forward(x)), c.output, 1e-5, 'output');
    const wy = t(c.lossWeight, c.shape);
    const xv = x.clone();
    xv.requiresGrad = true;
    sum(mul(ln.forward(xv), wy)).backward();
    expectClose(num(xv.grad!), c.grads.input, 2e-5, 'input grad');
    if (ln.weight) expectClose(num(ln.weight.grad!), c.grads.weight!, 2e-5, 'weight grad');
    if (ln.bias) expectClose(num(ln.bias.grad!), c.grads.bias!, 2e-5, 'bias grad');
    // The same gradients through variableGrads (Keras-style training on the same autograd).
    if (ln.weight) {
      const { grads } = variableGrads(() => sum(mul(ln.forward(x), wy)), ln.parameters());
      expectClose(num(grads[ln.weight.name]), c.grads.weight!, 2e-5, 'weight grad (variableGrads)');
    }
  });

  it('defaults: weight ones, bias zeros, eps 1e-5', () => {
    const ln = new nn.LayerNorm([2, 3]);
    expect(num(ln.weight!)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(num(ln.bias!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ln.eps).toBe(1e-5);
    expect(ln.toString()).toBe('LayerNorm([2, 3], eps=0.00001, elementwiseAffine=true)');
  });

  it('bad input names the module, the argument, expected and received', () => {
    expect(() => new nn.LayerNorm(4, { elementwise_affine: false } as never)).toThrow(
      /nn\.LayerNorm: unknown option 'elementwise_affine'; did you mean 'elementwiseAffine'\?/,
    );
    expect(() => new nn.LayerNorm([] as never)).toThrow(/nn\.LayerNorm: normalizedShape must be an integer >= 1 or a non-empty array/);
    expect(() => new nn.LayerNorm(4, { eps: -1 })).toThrow(/nn\.LayerNorm: eps must be a finite number >= 0, received -1/);
    expect(() => new nn.LayerNorm(4).forward(t([1, 2, 3], [1, 3]))).toThrow(
      /nn\.LayerNorm: the input's last 1 dimension\(s\) must be normalizedShape \[4\], received shape \[1,3\]/,
    );
  });
});

describe('nn.init gains and fans vs PyTorch', () => {
  it.each(
    (fx.gains as { nonlinearity: string; param: number | null; gain: number }[]).map(
      (g) => [`${g.nonlinearity} ${g.param}`, g] as [string, typeof g],
    ),
  )('calculateGain(%s)', (_, g) => {
    expect(nn.init.calculateGain(g.nonlinearity as nn.init.Nonlinearity, g.param ?? undefined)).toBeCloseTo(g.gain, 14);
  });

  it.each((fx.fans as { shape: number[]; fanIn: number; fanOut: number }[]).map((f) => [JSON.stringify(f.shape), f] as [string, typeof f]))(
    'fans of %s',
    (_, f) => {
      expect(nn.init.calculateFanInAndFanOut(tensor(new Float32Array(f.shape.reduce((a, d) => a * d, 1)), f.shape))).toEqual([
        f.fanIn,
        f.fanOut,
      ]);
    },
  );
});

type SchedCase = { name: string; options: any; lrs: number[][]; momentum: number[][] };

function closeRel(actual: number[][], expected: number[][], what: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => {
      const e = expected[i][j];
      if (!(Math.abs(v - e) <= 1e-12 * Math.max(1, Math.abs(e)))) throw new Error(`${what}: step ${i} group ${j}: ${v} vs PyTorch ${e}`);
    }),
  );
}

describe('lr schedulers vs PyTorch (lr before each of 30 optimizer steps)', () => {
  const build: { [name: string]: (o: nn.optim.Optimizer) => nn.optim.lrScheduler.LRScheduler } = {
    // In another order than PyTorch's [3, 7, 7, 12]: PyTorch counts milestones, so the order does not matter.
    MultiStepLR: (o) => new S.MultiStepLR(o, { milestones: [12, 7, 3, 7], gamma: 0.5 }),
    'LambdaLR exp': (o) => new S.LambdaLR(o, { lrLambda: (e) => 0.95 ** e }),
    'LambdaLR per group': (o) => new S.LambdaLR(o, { lrLambda: [(e) => Math.min(1, (e + 1) / 5), (e) => 1 / (1 + e)] }),
    'LinearLR defaults': (o) => new S.LinearLR(o),
    LinearLR: (o) => new S.LinearLR(o, { startFactor: 0.1, endFactor: 0.8, totalIters: 10 }),
    'OneCycleLR cos SGD momentum': (o) => new S.OneCycleLR(o, { maxLr: 0.5, totalSteps: 30 }),
    'OneCycleLR linear no momentum': (o) =>
      new S.OneCycleLR(o, {
        maxLr: [0.5, 0.2],
        totalSteps: 30,
        annealStrategy: 'linear',
        pctStart: 0.25,
        cycleMomentum: false,
        divFactor: 10,
        finalDivFactor: 100,
      }),
    'OneCycleLR three phase': (o) => new S.OneCycleLR(o, { maxLr: 0.3, epochs: 3, stepsPerEpoch: 10, threePhase: true }),
    SequentialLR: (o) =>
      new S.SequentialLR(o, {
        schedulers: [new S.LinearLR(o, { startFactor: 0.1, totalIters: 5 }), new S.ExponentialLR(o, { gamma: 0.9 })],
        milestones: [5],
      }),
    'SequentialLR three': (o) =>
      new S.SequentialLR(o, {
        schedulers: [
          new S.LinearLR(o, { startFactor: 0.25, totalIters: 4 }),
          new S.MultiStepLR(o, { milestones: [3, 6], gamma: 0.5 }),
          new S.CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001 }),
        ],
        milestones: [4, 12],
      }),
    'OneCycleLR cos Adam betas': (o) => new S.OneCycleLR(o, { maxLr: 0.01, totalSteps: 30 }),
  };

  it.each((fx.schedulers as SchedCase[]).map((c) => [c.name, c] as [string, SchedCase]))('%s', (name, c) => {
    const p = [new nn.Linear(1, 2, { bias: false }).weight, new nn.Linear(1, 1, { bias: false }).weight];
    const adam = name.includes('Adam');
    const opt = adam
      ? new nn.optim.Adam([p[0], p[1]], { lr: 0.01 })
      : new nn.optim.SGD([{ params: [p[0]] }, { params: [p[1]], lr: 0.05 }], {
          lr: 0.1,
          ...(name.includes('momentum') || name.includes('three phase') ? { momentum: 0.9 } : {}),
        });
    const sched = build[name](opt);
    const lrs: number[][] = [];
    const moms: number[][] = [];
    for (let i = 0; i < c.lrs.length; i++) {
      lrs.push(opt.paramGroups.map((g) => g.lr));
      if (c.momentum.length) moms.push(opt.paramGroups.map((g) => (adam ? (g.betas as number[])[0] : (g.momentum as number))));
      for (const q of p) q.grad = tensor(new Float32Array(q.size).fill(0.1), q.shape);
      opt.step();
      sched.step();
    }
    closeRel(lrs, c.lrs, 'lr');
    if (c.momentum.length) closeRel(moms, c.momentum, 'momentum');
  });

  it('stateDict / loadStateDict resume a SequentialLR and a OneCycleLR where they stopped', () => {
    for (const name of ['SequentialLR three', 'OneCycleLR cos SGD momentum']) {
      const mk = () => {
        const w = new nn.Linear(1, 1, { bias: false }).weight;
        const opt = new nn.optim.SGD([w], { lr: 0.1, momentum: 0.9 });
        return { opt, sched: build[name](opt) };
      };
      const a = mk();
      for (let i = 0; i < 9; i++) a.sched.step();
      const saved = JSON.parse(JSON.stringify({ s: a.sched.stateDict(), o: nn.optim.optimizerStateToJSON(a.opt.stateDict()) }));
      for (let i = 0; i < 9; i++) a.sched.step();
      const b = mk();
      b.opt.loadStateDict(nn.optim.optimizerStateFromJSON(saved.o));
      b.sched.loadStateDict(saved.s);
      for (let i = 0; i < 9; i++) b.sched.step();
      expect(b.opt.paramGroups[0].lr).toBe(a.opt.paramGroups[0].lr);
      expect(b.sched.getLastLr()).toEqual(a.sched.getLastLr());
    }
  });

  it('refuses bad options naming the scheduler and option', () => {
    const opt = new nn.optim.SGD([new nn.Linear(1, 1).weight], { lr: 0.1 });
    expect(() => new S.MultiStepLR(opt, { milestones: [5, 2.5] })).toThrow(
      /MultiStepLR: milestones must be an array of integers >= 0, received an array of length 2 \[5, 2.5\]/,
    );
    expect(() => new S.LinearLR(opt, { start_factor: 0.5 } as never)).toThrow(
      /LinearLR.*unknown option 'start_factor'; did you mean 'startFactor'\?/,
    );
    expect(() => new S.LinearLR(opt, { startFactor: 0 })).toThrow(/LinearLR: startFactor must be a number in \(0, 1\], received 0/);
    expect(() => new S.LambdaLR(opt, { lrLambda: [(e: number) => e, (e: number) => e] })).toThrow(
      /LambdaLR: lrLambda must be one function or 1 \(one per parameter group\), received 2/,
    );
    expect(() => new S.OneCycleLR(opt, { maxLr: 0.1 })).toThrow(/OneCycleLR: give totalSteps, or epochs and stepsPerEpoch/);
    expect(() => new S.OneCycleLR(new nn.optim.Adagrad([new nn.Linear(1, 1).weight]), { maxLr: 0.1, totalSteps: 5 })).toThrow(
      /OneCycleLR: the optimizer has no momentum or betas to cycle; pass cycleMomentum: false/,
    );
    const oc = new S.OneCycleLR(new nn.optim.SGD([new nn.Linear(1, 1).weight]), { maxLr: 0.1, totalSteps: 2 });
    oc.step();
    oc.step();
    expect(() => oc.step()).toThrow(/OneCycleLR: tried to step 4 times; the specified number of total steps is 2/);
    expect(() => new S.SequentialLR(opt, { schedulers: [new S.LinearLR(opt)], milestones: [3] })).toThrow(
      /SequentialLR: milestones must be 0 increasing integer/,
    );
    const other = new nn.optim.SGD([new nn.Linear(1, 1).weight], { lr: 0.1 });
    expect(() => new S.SequentialLR(opt, { schedulers: [new S.LinearLR(opt), new S.LinearLR(other)], milestones: [3] })).toThrow(
      /SequentialLR: schedulers\[1\] belongs to another optimizer/,
    );
    // stepToEpoch (PyTorch's step(epoch)) kept the current lr and moved no inner scheduler: silently the wrong lr.
    // PyTorch's SequentialLR.step() takes no epoch.
    const seq = new S.SequentialLR(opt, { schedulers: [new S.LinearLR(opt), new S.LinearLR(opt)], milestones: [3] });
    expect(() => seq.stepToEpoch(1)).toThrow(NotImplementedError);
    expect(() => seq.stepToEpoch(1)).toThrow(
      /SequentialLR\.stepToEpoch: SequentialLR cannot jump to an epoch \(PyTorch's SequentialLR\.step takes none\)/,
    );
  });
});
