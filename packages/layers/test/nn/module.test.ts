/** nn.Module: PyTorch names, state dicts, strict loading with clear errors, train/eval, initialization. */
import { setSeed, Tensor, Variable } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import * as umbrella from '../../../recurrent/src';
import { num, randArr, t } from './helpers';

describe('nn.Module parameters and names', () => {
  test("nn.LSTM parameter names, order and shapes are PyTorch's state_dict()", () => {
    const m = new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true, projSize: 2, seed: 1 });
    const shapes = Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]));
    // torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2).state_dict()
    expect(Object.keys(shapes)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_hr_l0',
      'weight_ih_l0_reverse',
      'weight_hh_l0_reverse',
      'bias_ih_l0_reverse',
      'bias_hh_l0_reverse',
      'weight_hr_l0_reverse',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
      'weight_hr_l1',
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
      'bias_ih_l1_reverse',
      'bias_hh_l1_reverse',
      'weight_hr_l1_reverse',
    ]);
    expect(shapes.weight_ih_l0).toEqual([20, 3]);
    expect(shapes.weight_hh_l0).toEqual([20, 2]);
    expect(shapes.weight_hr_l0).toEqual([2, 5]);
    expect(shapes.weight_ih_l1).toEqual([20, 4]);
    expect(shapes.bias_hh_l1_reverse).toEqual([20]);
  });

  test('GRU / RNN shapes and bias=false', () => {
    const g = new nn.GRU(3, 4, { numLayers: 2, bias: false });
    expect(Object.entries(g.stateDict()).map(([k, v]) => `${k}:${v.shape}`)).toEqual([
      'weight_ih_l0:12,3',
      'weight_hh_l0:12,4',
      'weight_ih_l1:12,4',
      'weight_hh_l1:12,4',
    ]);
    const r = new nn.RNN(3, 4, { bidirectional: true });
    expect(Object.entries(r.stateDict()).map(([k, v]) => `${k}:${v.shape}`)).toEqual([
      'weight_ih_l0:4,3',
      'weight_hh_l0:4,4',
      'bias_ih_l0:4',
      'bias_hh_l0:4',
      'weight_ih_l0_reverse:4,3',
      'weight_hh_l0_reverse:4,4',
      'bias_ih_l0_reverse:4',
      'bias_hh_l0_reverse:4',
    ]);
  });

  test('Sequential and registered submodules give dotted names; parameters are trainable Variables', () => {
    class Model extends nn.Module {
      lstm = this.registerModule('lstm', new nn.LSTM(3, 4));
      head = this.registerModule('head', new nn.Sequential(new nn.Dropout(0.1), new nn.Linear(4, 2)));
      scale = this.registerParameter('scale', t([1], [1]));
      forward(x: Tensor): Tensor {
        return this.head.forward(this.lstm.forward(x));
      }
    }
    const m = new Model();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'lstm.weight_ih_l0',
      'lstm.weight_hh_l0',
      'lstm.bias_ih_l0',
      'lstm.bias_hh_l0',
      'head.1.weight',
      'head.1.bias',
    ]);
    expect(Object.keys(m.stateDict())).toEqual(m.namedParameters().map(([n]) => n));
    expect(m.parameters().every((p) => p instanceof Variable && p.trainable)).toBe(true);
    expect(new Set(m.parameters().map((p) => p.name)).size).toBe(7);
    expect(m.forward(t(randArr(2 * 3 * 3, 1), [2, 3, 3])).shape).toEqual([2, 3, 2]);
    expect(m.getSubmodule('head.1')).toBeInstanceOf(nn.Linear);
    expect(m.numParameters()).toBe(1 + 16 * 3 + 16 * 4 + 32 + 8 + 2);
    const s = new nn.Sequential(new nn.LSTM(3, 4), new nn.Linear(4, 1));
    expect(Object.keys(s.stateDict())).toEqual(['0.weight_ih_l0', '0.weight_hh_l0', '0.bias_ih_l0', '0.bias_hh_l0', '1.weight', '1.bias']);
    expect(String(s)).toBe(
      'Sequential\n  (0): LSTM(3, 4)\n  (1): Linear(inFeatures=4, outFeatures=1, bias=true)\n)'.replace('Sequential\n', 'Sequential(\n'),
    );
  });

  test('train()/eval() propagate the training flag to all children', () => {
    const s = new nn.Sequential(new nn.LSTM(3, 4), new nn.Sequential(new nn.Dropout(0.5)));
    expect(s.training).toBe(true);
    s.eval();
    expect(s.namedModules().map(([, m]) => m.training)).toEqual([false, false, false, false]);
    s.train();
    expect(s.namedModules().every(([, m]) => m.training)).toBe(true);
    expect(s.train(false)).toBe(s);
    expect(s.at(1).training).toBe(false);
  });

  test("requiresGrad_(false) freezes a submodule's parameters (PyTorch's module.requires_grad_): no grad, optimizer skips them", () => {
    const model = new nn.Sequential(new nn.Linear(2, 3, { seed: 1 }), new nn.Linear(3, 1, { seed: 2 }));
    expect(model.at(0).requiresGrad_(false)).toBe(model.at(0));
    const opt = new nn.optim.Adam(model.parameters(), { lr: 0.1 });
    const before = model.stateDict();
    model
      .forward(t([1, -1], [1, 2]))
      .sum()
      .backward();
    opt.step();
    const after = model.stateDict();
    expect([
      model
        .at(0)
        .parameters()
        .map((p) => p.grad),
      num(after['0.weight']),
      num(after['0.bias']),
    ]).toEqual([[null, null], num(before['0.weight']), num(before['0.bias'])]);
    expect(num(after['1.weight'])).not.toEqual(num(before['1.weight']));
    model.requiresGrad_();
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(() => model.requiresGrad_('no' as unknown as boolean)).toThrow(
      'nn.Sequential.requiresGrad_: requiresGrad must be true or false, received string.',
    );
  });

  test('registerParameter / registerModule reject bad names and kinds', () => {
    class M extends nn.Module {
      forward(): null {
        return null;
      }
    }
    const m = new M();
    expect(() => m.registerParameter('a.b', t([1], [1]))).toThrow(/registerParameter: name must be a non-empty string without '\.'/);
    m.registerParameter('w', t([1], [1]));
    expect(() => m.registerModule('w', new nn.Linear(1, 1))).toThrow(/'w' is already a parameter/);
    expect(() => m.registerModule('x', {} as nn.Module)).toThrow(/must be an nn\.Module/);
    expect(() => m.getParameter('nope')).toThrow(/no parameter 'nope'; it has 'w'/);
    expect(() => new nn.Sequential(5 as unknown as nn.Linear)).toThrow(/nn\.Sequential: argument 0 must be an nn\.Module/);
  });
});

describe('stateDict / loadStateDict', () => {
  test('round trip: stateDict of one module loads into another, giving identical outputs; stateDict is a snapshot', () => {
    const a = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true, seed: 1 });
    const b = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true, seed: 2 });
    const x = t(randArr(2 * 5 * 3, 3), [2, 5, 3]);
    expect(num(a.forward(x))).not.toEqual(num(b.forward(x)));
    const dict = a.stateDict();
    expect(b.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(num(b.forward(x))).toEqual(num(a.forward(x)));
    // Changing b's parameters does not change the dict taken earlier or a.
    b.getParameter('weight_ih_l0').assign(t(new Array(36).fill(0), [12, 3]));
    expect(num(dict.weight_ih_l0)).toEqual(num(a.getParameter('weight_ih_l0')));
    expect(num(a.getParameter('weight_ih_l0')).some((v) => v !== 0)).toBe(true);
  });

  test('a mis-shaped key names the module, the key and both shapes, and nothing is loaded', () => {
    const m = new nn.Sequential(new nn.LSTM(3, 4), new nn.Linear(4, 2));
    const before = num(m.getSubmodule('0').getParameter('weight_ih_l0'));
    const dict = m.stateDict();
    dict['0.weight_ih_l0'] = t(new Array(16 * 5).fill(0.5), [16, 5]);
    dict['1.bias'] = t([0, 0, 0], [3]);
    let msg = '';
    try {
      m.loadStateDict(dict);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/nn\.Sequential\.loadStateDict/);
    expect(msg).toMatch(
      /size mismatch for '0\.weight_ih_l0' of nn\.LSTM \(submodule '0'\): the state dict has shape \[16,5\], the parameter has shape \[16,3\]/,
    );
    expect(msg).toMatch(
      /size mismatch for '1\.bias' of nn\.Linear \(submodule '1'\): the state dict has shape \[3\], the parameter has shape \[2\]/,
    );
    expect(num(m.getSubmodule('0').getParameter('weight_ih_l0'))).toEqual(before);
    // Shape mismatches throw even when not strict (as PyTorch).
    expect(() => m.loadStateDict(dict, { strict: false })).toThrow(/size mismatch for '0\.weight_ih_l0'/);
  });

  test('missing and unexpected keys are listed (strict) or returned (strict: false)', () => {
    const m = new nn.LSTM(3, 4, { numLayers: 2 });
    const dict = m.stateDict();
    delete dict.bias_hh_l1;
    delete dict.weight_ih_l0;
    dict.weight_hr_l0 = t([1], [1]);
    expect(() => m.loadStateDict(dict)).toThrow(
      /nn\.LSTM\.loadStateDict: error\(s\) loading the state dict:\n {2}missing key\(s\): 'weight_ih_l0', 'bias_hh_l1'\n {2}unexpected key\(s\): 'weight_hr_l0'/,
    );
    const other = new nn.LSTM(3, 4, { numLayers: 2, seed: 5 });
    const r = other.loadStateDict(dict, { strict: false });
    expect(r).toEqual({ missingKeys: ['weight_ih_l0', 'bias_hh_l1'], unexpectedKeys: ['weight_hr_l0'] });
    expect(num(other.getParameter('weight_hh_l1'))).toEqual(num(dict.weight_hh_l1));
    expect(() => m.loadStateDict(null as unknown as nn.StateDict)).toThrow(/must be an object of name → Tensor, received null/);
    expect(() => other.loadStateDict(dict, { Strict: false } as never)).toThrow(
      /nn\.LSTM\.loadStateDict: unknown option 'Strict'; did you mean 'strict'\?/,
    );
    expect(() => m.loadStateDict({ ...m.stateDict(), bias_ih_l0: [1, 2] as unknown as Tensor })).toThrow(
      /'bias_ih_l0' of nn\.LSTM must be a Tensor of shape \[16\]/,
    );
  });
});

describe('initialization', () => {
  test('uniform(−1/√hidden, 1/√hidden) for every recurrent parameter, seeded', () => {
    const m = new nn.LSTM(6, 16, { numLayers: 2, bidirectional: true, projSize: 4, seed: 42 });
    const all = Object.values(m.stateDict()).flatMap(num);
    const k = 1 / Math.sqrt(16);
    expect(Math.max(...all)).toBeLessThanOrEqual(k);
    expect(Math.min(...all)).toBeGreaterThanOrEqual(-k);
    const mean = all.reduce((a, v) => a + v, 0) / all.length;
    const variance = all.reduce((a, v) => a + (v - mean) ** 2, 0) / all.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - (k * k) / 3)).toBeLessThan((0.1 * (k * k)) / 3);
    const same = new nn.LSTM(6, 16, { numLayers: 2, bidirectional: true, projSize: 4, seed: 42 });
    expect(Object.values(same.stateDict()).flatMap(num)).toEqual(all);
    const other = new nn.LSTM(6, 16, { numLayers: 2, bidirectional: true, projSize: 4, seed: 43 });
    expect(Object.values(other.stateDict()).flatMap(num)).not.toEqual(all);
  });

  test('without a seed, core setSeed makes initialization reproducible', () => {
    setSeed(7);
    const a = Object.values(new nn.GRU(3, 4).stateDict()).flatMap(num);
    setSeed(7);
    const b = Object.values(new nn.GRU(3, 4).stateDict()).flatMap(num);
    expect(a).toEqual(b);
  });

  test('Linear: uniform(−1/√in, 1/√in); Embedding: standard normal with a zero padding row', () => {
    const l = new nn.Linear(25, 30, { seed: 1 });
    const w = num(l.weight);
    expect(Math.max(...w, ...num(l.bias as Tensor))).toBeLessThanOrEqual(0.2);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-0.2);
    expect(Math.max(...w)).toBeGreaterThan(0.19);
    const e = new nn.Embedding(200, 10, { paddingIdx: -1, seed: 2 });
    expect(e.paddingIdx).toBe(199);
    const v = num(e.weight);
    expect(v.slice(1990)).toEqual(new Array(10).fill(0));
    const body = v.slice(0, 1990);
    const mean = body.reduce((a, x) => a + x, 0) / body.length;
    const sd = Math.sqrt(body.reduce((a, x) => a + (x - mean) ** 2, 0) / body.length);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(sd - 1)).toBeLessThan(0.1);
  });
});

describe('exports', () => {
  test('nn is exported from @recurrent/layers and from the umbrella package', () => {
    expect(umbrella.nn.LSTM).toBe(nn.LSTM);
    expect(typeof nn.utils.clipGradNorm).toBe('function');
    expect(typeof nn.convert.torchToKerasLSTM).toBe('function');
    expect(typeof nn.loadStateDictJSON).toBe('function');
  });
});
