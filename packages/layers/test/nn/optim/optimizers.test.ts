/**
 * nn.optim optimizers, schedulers and clipGradNorm_ against PyTorch 1.13 (fixtures/optim_steps.json, written by
 * fixtures/generate_optim.py): same start, same gradient rule, same final parameters.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tensor, variable, Variable } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { num } from '../helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'optim_steps.json'), 'utf8'));

let counter = 0;
function initParams(): Variable[] {
  return [
    variable(tensor(Float32Array.from([0.5, -1.0, 0.25, 2.0, -0.75, 0.1]), [3, 2], 'float32'), true, `optim_test_a_${counter}`),
    variable(tensor(Float32Array.from([1.5, -0.5, 0.3, -2.0]), [4], 'float32'), true, `optim_test_b_${counter++}`),
  ];
}

function setGrads(params: Variable[], k: number): void {
  params.forEach((p, j) => {
    const v = p.dataSync() as Float32Array;
    const g = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++)
      g[i] = Math.fround(Math.fround(v[i] * Math.fround(0.5 + 0.1 * j)) + Math.fround(Math.sin(0.7 * i + 1.3 * k + j)));
    p.grad = tensor(g, p.shape.slice(), 'float32');
  });
}

function expectRel(actual: number[], expected: number[], tol: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) throw new Error(`${what}[${i}]: ${a} vs PyTorch ${e}`);
  });
}

const classes: { [k: string]: new (p: Variable[], o: any) => nn.optim.Optimizer } = {
  SGD: nn.optim.SGD,
  Adam: nn.optim.Adam,
  AdamW: nn.optim.AdamW,
  RMSprop: nn.optim.RMSprop,
  Adagrad: nn.optim.Adagrad,
};

describe('optimizers match PyTorch', () => {
  for (const c of fx.optimizers) {
    test(`${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      const params = initParams();
      const opt = new classes[c.optimizer](params, c.options);
      for (let k = 0; k < c.steps; k++) {
        setGrads(params, k);
        opt.step();
      }
      params.forEach((p, i) => expectRel(num(p), c.final[i], 1e-5, `${c.optimizer} param ${i}`));
    });
  }
});

describe('schedulers match PyTorch', () => {
  const make: { [k: string]: (o: nn.optim.Optimizer, opts: any) => { step(m?: number): void } } = {
    StepLR: (o, x) => new nn.optim.lrScheduler.StepLR(o, x),
    ExponentialLR: (o, x) => new nn.optim.lrScheduler.ExponentialLR(o, x),
    CosineAnnealingLR: (o, x) => new nn.optim.lrScheduler.CosineAnnealingLR(o, x),
    ReduceLROnPlateau: (o, x) => {
      const s = new nn.optim.lrScheduler.ReduceLROnPlateau(o, x);
      return { step: (m?: number) => s.step(m as number) };
    },
  };
  for (const c of fx.schedulers) {
    test(`${c.scheduler} ${JSON.stringify(c.options)}`, () => {
      const opt = new nn.optim.SGD(initParams(), { lr: 1 });
      const s = make[c.scheduler](opt, c.options);
      const lrs = [opt.paramGroups[0].lr];
      for (let e = 0; e < c.lrs.length - 1; e++) {
        s.step(c.metrics ? c.metrics[e] : undefined);
        lrs.push(opt.paramGroups[0].lr);
      }
      expectRel(lrs, c.lrs, 1e-12, c.scheduler);
    });
  }
});

test('clipGradNorm_ (2-norm and inf-norm) matches PyTorch', () => {
  for (const [c, normType] of [
    [fx.clip, 2],
    [fx.clipInf, Infinity],
  ] as const) {
    const params = initParams();
    setGrads(params, 0);
    const total = nn.utils.clipGradNorm_(params, c.maxNorm, normType);
    expect(Math.abs(total - c.totalNorm)).toBeLessThan(1e-5 * c.totalNorm);
    params.forEach((p, i) => expectRel(num(p.grad!), c.grads[i], 1e-6, 'clipped grad'));
  }
});

describe('optimizer API', () => {
  test('zeroGrad, param groups with their own lr, stateDict round trip continues identically', () => {
    const [a, b] = initParams();
    const opt = new nn.optim.Adam([{ params: [a] }, { params: [b], lr: 0.1 }], { lr: 0.01 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.1]);
    setGrads([a, b], 0);
    opt.step();
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    const sd = opt.stateDict();
    expect(sd.paramGroups[1].params).toEqual([1]);
    expect(sd.state[0].step as number).toBe(1);
    const [a2, b2] = [variable(a.clone(), true, `${a.name}_copy`), variable(b.clone(), true, `${b.name}_copy`)];
    const opt2 = new nn.optim.Adam([{ params: [a2] }, { params: [b2] }], { lr: 0.5 });
    opt2.loadStateDict(sd);
    expect(opt2.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.1]);
    for (const [o, ps] of [
      [opt, [a, b]],
      [opt2, [a2, b2]],
    ] as const) {
      setGrads(ps as unknown as Variable[], 1);
      o.step();
    }
    expect(num(a2)).toEqual(num(a));
    expect(num(b2)).toEqual(num(b));
  });

  test('step() before backward() names the parameters; parameters without a grad are skipped', () => {
    const m = new nn.Linear(3, 2, { seed: 1 });
    const opt = new nn.optim.SGD(m.parameters(), { lr: 0.1 });
    expect(() => opt.step()).toThrow(
      /nn\.optim\.SGD\.step: no parameter has a gradient \('nn\.Linear_\d+\/weight' \(shape \[2,3\]\), 'nn\.Linear_\d+\/bias' \(shape \[2\]\) have grad null\); call loss\.backward\(\) before step\(\)/,
    );
    m.weight.grad = tensor(new Float32Array(6).fill(1), [2, 3], 'float32');
    const bias = num(m.bias!);
    opt.step();
    expect(num(m.bias!)).toEqual(bias);
  });

  test('an nn parameter frozen with requiresGrad_(false) before the optimizer is made stays frozen; a plain variable is made to require grad', () => {
    // PyTorch: `lin.weight.requires_grad_(False); SGD(lin.parameters())` leaves weight.grad None and weight unchanged.
    const lin = new nn.Linear(2, 1, { seed: 4 });
    lin.weight.requiresGrad_(false);
    const v = variable(tensor(Float32Array.from([0.5]), [1], 'float32'), true, `optim_frozen_v_${counter++}`);
    v.requiresGrad = false;
    const opt = new nn.optim.SGD([...lin.parameters(), v], { lr: 0.1 });
    expect([lin.weight.requiresGrad, lin.bias!.requiresGrad, v.requiresGrad]).toEqual([false, true, true]);
    const w0 = num(lin.weight);
    const x = tensor(Float32Array.from([1, 2]), [1, 2], 'float32');
    opt.zeroGrad();
    lin.forward(x).mul(v).sum().backward();
    opt.step();
    expect(lin.weight.grad).toBeNull();
    expect(num(lin.weight)).toEqual(w0);
    // d/db (w·x + b)·v = v = 0.5, so b moves by −0.05.
    expect(lin.bias!.grad!.dataSync()[0]).toBeCloseTo(0.5, 6);
    // Unfreezing later (fine-tuning) trains it again.
    lin.weight.requiresGrad_(true);
    const vNow = num(v)[0];
    opt.zeroGrad();
    lin.forward(x).mul(v).sum().backward();
    opt.step();
    expect(num(lin.weight.grad!)).toEqual([1 * vNow, 2 * vNow].map(Math.fround));
    expect(num(lin.weight)).not.toEqual(w0);
    // All frozen: step() says so rather than asking for backward().
    const frozen = new nn.Linear(2, 1, { seed: 5 }).requiresGrad_(false);
    const opt2 = new nn.optim.SGD(frozen.parameters(), { lr: 0.1 });
    frozen.forward(x).sum();
    expect(() => opt2.step()).toThrow(
      /have grad null\); every parameter is frozen \(requiresGrad false\), so backward\(\) gives them none\.$/,
    );
  });

  test('a full PyTorch-style loop lowers the loss', () => {
    const lin = new nn.Linear(2, 1, { seed: 3 });
    const x = tensor(Float32Array.from([1, 2, -1, 0.5, 0, 1, 2, -2]), [4, 2], 'float32');
    const y = tensor(Float32Array.from([3, -0.5, 1, 0]), [4, 1], 'float32');
    const opt = new nn.optim.SGD(lin.parameters(), { lr: 0.05, momentum: 0.9 });
    const loss = () => lin.forward(x).sub(y).square().mean();
    const first = Number(loss().dataSync()[0]);
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    expect(Number(loss().dataSync()[0])).toBeLessThan(0.2 * first);
  });

  test('bad options never print tensor values', () => {
    const m = new nn.Linear(3, 2);
    const bad: [() => unknown, RegExp][] = [
      [
        () => new nn.optim.Adam(m.parameters(), { lr: m.weight as never }),
        /nn\.optim\.Adam: lr must be a number >= 0, received a Tensor of shape \[2,3\]\.$/,
      ],
      [
        () => new nn.optim.Adam(m.parameters(), 0.1 as never),
        /options must be an object such as \{lr: 0\.01\}, received the number 0\.1 \(write \{lr: 0\.1\}\)/,
      ],
      [() => new nn.optim.Adam(m as never), /params must be an array.*pass model\.parameters\(\), not the model/],
      [() => new nn.optim.Adam([m.weight, tensor([1, 2]) as never]), /params\[1\] must be a Variable.*received a Tensor of shape \[2\]/],
      [() => new nn.optim.Adam(m.parameters(), { betas: [0.9, 1.5] }), /betas must be two numbers in \[0, 1\)/],
      [() => new nn.optim.Adam(m.parameters(), { beta1: 0.9 } as never), /unknown option 'beta1'; did you mean 'betas'\?/],
      [() => new nn.optim.SGD(m.parameters(), { nesterov: true }), /nesterov requires momentum > 0 and dampening 0/],
      [() => new nn.optim.SGD([m.weight, m.weight]), /appears more than once/],
      [
        () => new nn.optim.lrScheduler.StepLR(new nn.optim.SGD(m.parameters()), { step_size: 2 } as never),
        /StepLR.*: unknown option 'step_size'; did you mean 'stepSize'\? Known options: gamma, stepSize\./,
      ],
    ];
    for (const [f, re] of bad) {
      let msg = '';
      try {
        f();
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(re);
      expect(msg).not.toMatch(/\d\.\d{4}/); // no tensor values
    }
  });

  test('loadStateDict refuses a state dict of another shape', () => {
    const m = new nn.Linear(3, 2);
    const opt = new nn.optim.SGD(m.parameters(), { lr: 0.1 });
    expect(() => opt.loadStateDict({ state: {}, paramGroups: [] })).toThrow(/state dict has 0 parameter group\(s\), this optimizer has 1/);
    expect(() => opt.loadStateDict({ state: {}, paramGroups: [{ params: [0], lr: 1 }] } as never)).toThrow(
      /group 0 has 1 parameters in the state dict, 2 here/,
    );
  });
});
