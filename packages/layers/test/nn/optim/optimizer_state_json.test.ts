/**
 * Optimizer state to a file and back: training resumed from a model state dict plus an optimizer state written as
 * JSON text (or safetensors bytes) and read back ends bit-identical to the same training run without interruption.
 */
import { tensor, ValueError } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { num } from '../helpers';

const x = tensor(
  Float32Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(0.37 * i)),
  [2, 5, 3],
  'float32',
);
const y = tensor([1, 0, 2, 2, 1, 0, 0, 1, 2, 1], [2, 5], 'int32');

class Tagger extends nn.Module {
  lstm = this.registerModule('lstm', new nn.LSTM(3, 4, { batchFirst: true, seed: 1 }));
  norm = this.registerModule('norm', new nn.LayerNorm(4));
  head = this.registerModule('head', new nn.Linear(4, 3, { seed: 2 }));
  forward(input: typeof x) {
    return this.head.forward(this.norm.forward(this.lstm.forward(input)));
  }
}

type MakeOpt = (m: nn.Module) => nn.optim.Optimizer;

function trainSteps(model: Tagger, opt: nn.optim.Optimizer, sched: nn.optim.lrScheduler.LRScheduler | null, n: number): void {
  const lossFn = new nn.CrossEntropyLoss();
  for (let i = 0; i < n; i++) {
    opt.zeroGrad();
    // [batch, time, classes] → [batch, classes, time], as PyTorch's CrossEntropyLoss takes sequences.
    const logits = model.forward(x).transpose([0, 2, 1]);
    lossFn.forward(logits, y).backward();
    opt.step();
    sched?.step();
  }
}

const optimizers: [string, MakeOpt][] = [
  ['Adam amsgrad', (m) => new nn.optim.Adam(m.parameters(), { lr: 0.01, amsgrad: true })],
  ['AdamW', (m) => new nn.optim.AdamW(m.parameters(), { lr: 0.01 })],
  [
    'SGD momentum nesterov, two groups',
    (m) =>
      new nn.optim.SGD([{ params: m.parameters().slice(0, 4) }, { params: m.parameters().slice(4), lr: 0.05 }], {
        lr: 0.1,
        momentum: 0.9,
        nesterov: true,
      }),
  ],
  ['RMSprop centered momentum', (m) => new nn.optim.RMSprop(m.parameters(), { lr: 0.01, centered: true, momentum: 0.5 })],
  ['Adagrad', (m) => new nn.optim.Adagrad(m.parameters(), { lr: 0.05, lrDecay: 0.01 })],
];

describe.each(['json', 'safetensors'])('optimizer state through %s', (format) => {
  it.each(optimizers)('%s: resume after reload equals uninterrupted training', (_, makeOpt) => {
    const ref = new Tagger();
    const refOpt = makeOpt(ref);
    const refSched = new nn.optim.lrScheduler.OneCycleLR(refOpt, { maxLr: 0.02, totalSteps: 6, cycleMomentum: false });
    trainSteps(ref, refOpt, refSched, 6);

    const a = new Tagger();
    const aOpt = makeOpt(a);
    const aSched = new nn.optim.lrScheduler.OneCycleLR(aOpt, { maxLr: 0.02, totalSteps: 6, cycleMomentum: false });
    trainSteps(a, aOpt, aSched, 3);
    const modelText = JSON.stringify(nn.stateDictToJSON(a.stateDict()));
    const schedText = JSON.stringify(aSched.stateDict());
    const saved =
      format === 'json'
        ? JSON.stringify(nn.optim.optimizerStateToJSON(aOpt.stateDict()))
        : nn.optim.saveOptimizerSafetensors(aOpt.stateDict());

    const b = new Tagger();
    b.loadStateDict(nn.loadStateDictJSON(modelText));
    const bOpt = makeOpt(b);
    const bSched = new nn.optim.lrScheduler.OneCycleLR(bOpt, { maxLr: 0.02, totalSteps: 6, cycleMomentum: false });
    bOpt.loadStateDict(typeof saved === 'string' ? nn.optim.optimizerStateFromJSON(saved) : nn.optim.loadOptimizerSafetensors(saved));
    bSched.loadStateDict(JSON.parse(schedText));
    trainSteps(b, bOpt, bSched, 3);

    const resumed = new Map(b.namedParameters());
    for (const [name, p] of ref.namedParameters()) expect([name, num(resumed.get(name)!)]).toEqual([name, num(p)]);
    // The state must matter: resuming with a fresh optimizer state ends elsewhere.
    const c = new Tagger();
    c.loadStateDict(nn.loadStateDictJSON(modelText));
    const cOpt = makeOpt(c);
    trainSteps(c, cOpt, null, 3);
    expect(num(c.head.weight)).not.toEqual(num(ref.head.weight));
  });
});

describe('optimizer state files: bad input', () => {
  it('the raw state dict does not survive JSON.stringify; the JSON form round-trips exactly', () => {
    const m = new Tagger();
    const opt = new nn.optim.Adam(m.parameters(), { lr: 0.01 });
    trainSteps(m, opt, null, 1);
    const sd = opt.stateDict();
    // Raw JSON.stringify writes each Tensor's internals (or throws on a graph's cycles); they do not load back.
    expect(() => opt.loadStateDict(JSON.parse(JSON.stringify(sd)))).toThrow(/state 'expAvg' of .* must be a Tensor of \d+ elements/);
    const back = nn.optim.optimizerStateFromJSON(JSON.stringify(nn.optim.optimizerStateToJSON(sd)));
    expect(back.paramGroups).toEqual(JSON.parse(JSON.stringify(sd.paramGroups)));
    for (const [i, entry] of Object.entries(sd.state)) {
      for (const [k, v] of Object.entries(entry)) {
        const w = back.state[Number(i)][k];
        if (typeof v === 'number') expect(w).toBe(v);
        else expect(num(w as typeof x)).toEqual(num(v));
      }
    }
  });

  it('names the function, the entry, expected and received', () => {
    expect(() => nn.optim.optimizerStateFromJSON('{')).toThrow(/nn\.optim\.optimizerStateFromJSON: invalid JSON/);
    expect(() => nn.optim.optimizerStateFromJSON('[]')).toThrow(
      /optimizerStateFromJSON: expected an optimizer state dict \{state, paramGroups\}/,
    );
    expect(() => nn.optim.optimizerStateFromJSON({ state: { 0: { expAvg: { shape: [2], data: [1] } } }, paramGroups: [] })).toThrow(
      /optimizerStateFromJSON: 'state.0.expAvg' has 1 values but shape \[2\] needs 2/,
    );
    expect(() => nn.optim.optimizerStateToJSON(new nn.Linear(1, 1).stateDict() as never)).toThrow(
      /optimizerStateToJSON: expected an optimizer state dict/,
    );
    expect(() => nn.optim.loadOptimizerSafetensors(nn.saveSafetensors(new nn.Linear(1, 1).stateDict()))).toThrow(
      /loadOptimizerSafetensors: the file has no optimizer metadata/,
    );
  });

  it('deeply nested data is refused with a message, not a stack overflow (the reader recursed per level)', () => {
    const deep = '['.repeat(200000) + '1' + ']'.repeat(200000);
    const text = `{"state": {"0": {"expAvg": {"shape": [1], "data": ${deep}}}}, "paramGroups": []}`;
    expect(() => nn.optim.optimizerStateFromJSON(text)).toThrow(ValueError);
    expect(() => nn.optim.optimizerStateFromJSON(text)).toThrow(
      /optimizerStateFromJSON: 'state.0.expAvg'.data nests arrays deeper than 64 levels/,
    );
    expect(() => nn.loadStateDictJSON(`{"w": {"shape": [1], "data": ${deep}}}`)).toThrow(/'w'.data nests arrays deeper than 64 levels/);
  });

  it('refuses state indices that are not parameter indices, by name (they became NaN)', () => {
    expect(() => nn.optim.optimizerStateFromJSON({ state: { abc: { step: 1 } }, paramGroups: [] } as never)).toThrow(
      /optimizerStateFromJSON: state key 'abc' must be a parameter index \(an integer >= 0\)/,
    );
  });

  it('refuses the state of another optimizer and duplicate or non-integer parameter indices (they loaded silently)', () => {
    const m = new Tagger();
    const sgd = new nn.optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
    trainSteps(m, sgd, null, 1);
    const text = JSON.stringify(nn.optim.optimizerStateToJSON(sgd.stateDict()));
    const adam = new nn.optim.Adam(m.parameters(), { lr: 0.01 });
    // Adam's groups took SGD's momentum/dampening/nesterov and its moments restarted from zero, silently.
    expect(() => adam.loadStateDict(nn.optim.optimizerStateFromJSON(text))).toThrow(ValueError);
    expect(() => adam.loadStateDict(nn.optim.optimizerStateFromJSON(text))).toThrow(
      /nn\.optim\.Adam\.loadStateDict: parameter group 0 of the state dict has no option 'betas'.*another optimizer/,
    );
    const good = nn.optim.optimizerStateToJSON(sgd.stateDict());
    const dup = { ...good, paramGroups: [{ ...good.paramGroups[0], params: good.paramGroups[0].params.map((i) => (i === 1 ? 0 : i)) }] };
    expect(() => sgd.loadStateDict(nn.optim.optimizerStateFromJSON(dup))).toThrow(
      /nn\.optim\.SGD\.loadStateDict: parameter group 0 lists parameter index 0 twice/,
    );
    const frac = { ...good, paramGroups: [{ ...good.paramGroups[0], params: good.paramGroups[0].params.map((i) => (i === 1 ? 0.5 : i)) }] };
    expect(() => sgd.loadStateDict(nn.optim.optimizerStateFromJSON(frac))).toThrow(
      /parameter group 0: params\[1\] must be a parameter index \(an integer >= 0\), received 0\.5/,
    );
  });

  it("refuses a step that is not a count and a buffer that is a number or named '__proto__' (NaN weights or a TypeError at step())", () => {
    const m = new Tagger();
    const adam = new nn.optim.Adam(m.parameters(), { lr: 0.01 });
    trainSteps(m, adam, null, 1);
    const good = nn.optim.optimizerStateToJSON(adam.stateDict());
    const withEntry = (key: string, v: unknown) => {
      const g = JSON.parse(JSON.stringify(good)) as typeof good;
      (g.state['0'] as Record<string, unknown>)[key] = v;
      return nn.optim.optimizerStateFromJSON(g);
    };
    expect(() => adam.loadStateDict(withEntry('step', -1))).toThrow(ValueError);
    expect(() => adam.loadStateDict(withEntry('step', -1))).toThrow(
      /Adam\.loadStateDict: state 'step' of .* must be an integer >= 0, received -1/,
    );
    expect(() => adam.loadStateDict(withEntry('step', { shape: [1], data: [1] }))).toThrow(
      /state 'step' of .* must be an integer >= 0, received a Tensor/,
    );
    expect(() => adam.loadStateDict(withEntry('expAvg', 5))).toThrow(
      /state 'expAvg' of .* must be a Tensor of \d+ elements \(only 'step' is a number\), received 5/,
    );
    // JSON.parse makes '__proto__' an own key; assigned as a key it set the state object's prototype.
    const text = JSON.stringify(good).replace('"expAvg"', '"__proto__"');
    expect(() => adam.loadStateDict(nn.optim.optimizerStateFromJSON(text))).toThrow(/state '__proto__' of .* must be a Tensor/);
  });

  it('safetensors metadata that is not valid JSON is refused naming the field (was a bare SyntaxError)', () => {
    const bytes = nn.saveSafetensors({ 'state.0.expAvg': tensor([1, 2]) }, { metadata: { paramGroups: '[]', scalars: 'x{' } });
    expect(() => nn.optim.loadOptimizerSafetensors(bytes)).toThrow(ValueError);
    expect(() => nn.optim.loadOptimizerSafetensors(bytes)).toThrow(/loadOptimizerSafetensors: metadata 'scalars': invalid JSON/);
    const badKey = nn.saveSafetensors(
      { 'state.0.expAvg': tensor([1, 2]) },
      { metadata: { paramGroups: '[]', scalars: '{"abc": {"step": 1}}' } },
    );
    expect(() => nn.optim.loadOptimizerSafetensors(badKey)).toThrow(
      /loadOptimizerSafetensors: metadata 'scalars' key 'abc' must be a parameter index \(an integer >= 0\)/,
    );
  });
});
