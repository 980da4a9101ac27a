/**
 * Issue #13 item 4: inherited property names are not identifiers. Every name lookup (losses, metrics,
 * optimizers, activations, initializers, regularizers, constraints, layer classes, custom objects, state
 * dicts) reads own properties of null-prototype tables, so 'constructor', 'toString', 'valueOf',
 * 'hasOwnProperty', '__proto__', ... are refused as unknown names — in code and from files — and nothing
 * changes a prototype.
 */
import {
  deserialize,
  getActivation,
  getConstraint,
  getInitializer,
  getRegularizer,
  layers,
  nameTable,
  nn,
  ownEntry,
  resetNameCounters,
} from '@recurrent/layers';
import { getLoss, getMetric, getOptimizer, io, loadLayersModel, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { cloneArtifacts, saveToMemory } from '../serialization/helpers';

const INHERITED = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__proto__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
];

const protoNames = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const before = protoNames();
afterAll(() => {
  expect(protoNames()).toBe(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('name tables', () => {
  it('nameTable / ownEntry read own names only', () => {
    const t = nameTable({ a: 1 });
    expect(Object.getPrototypeOf(t)).toBeNull();
    expect(Object.isFrozen(t)).toBe(true);
    expect(ownEntry(t, 'a')).toBe(1);
    for (const n of INHERITED) expect(ownEntry(t, n)).toBeUndefined();
    expect(ownEntry(t, 1 as unknown as string)).toBeUndefined();
  });

  for (const name of INHERITED) {
    it(`'${name}' is an unknown name in every table (code)`, () => {
      expect(() => getLoss(name)).toThrow(new RegExp(`^getLoss: unknown loss '${name}'; known losses: meanSquaredError`));
      expect(() => getMetric(name)).toThrow(new RegExp(`^getMetric: unknown metric '${name}'; known metrics:`));
      expect(() => getOptimizer(name)).toThrow(new RegExp(`^getOptimizer: unknown optimizer '${name}'; known optimizers: sgd`));
      expect(() => getActivation(name as never)).toThrow(new RegExp(`Unknown activation '${name}'. Known activations:`));
      expect(() => getInitializer(name as never)).toThrow(new RegExp(`Unknown initializer '${name}'. Known initializers:`));
      expect(() => getRegularizer(name as never)).toThrow(new RegExp(`Unknown regularizer '${name}'. Known regularizers:`));
      expect(() => getConstraint(name as never)).toThrow(new RegExp(`Unknown constraint '${name}'. Known constraints:`));
      expect(() => deserialize({ className: name, config: {} }, 'layer')).toThrow(new RegExp(`Unknown layer class '${name}'`));
      expect(() => deserialize({ className: name, config: {} }, 'layer', {})).toThrow(new RegExp(`Unknown layer class '${name}'`));
      expect(() => layers.lstm({ units: 2, activation: name as never })).toThrow(new RegExp(`'${name}'`));
      const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
      expect(() => m.compile({ optimizer: 'sgd', loss: name })).toThrow(new RegExp(`unknown loss '${name}'`));
      expect(() => m.compile({ optimizer: name, loss: 'mse' })).toThrow(new RegExp(`unknown optimizer '${name}'`));
      expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [name] })).toThrow(new RegExp(`unknown metric '${name}'`));
      m.dispose();
    });
  }

  it("a state dict JSON with a '__proto__' key keeps it as an entry, never as the result's prototype", () => {
    const d = nn.loadStateDictJSON('{"__proto__": {"shape": [1], "data": [2]}, "w": {"shape": [1], "data": [3]}}');
    expect(Object.getPrototypeOf(d)).toBeNull();
    expect(Object.prototype.hasOwnProperty.call(d, '__proto__')).toBe(true);
    expect(Object.keys(d).sort()).toEqual(['__proto__', 'w']);
  });
});

describe('inherited names in model files', () => {
  let base: ModelArtifacts;
  beforeAll(async () => {
    resetNameCounters();
    const m = sequential({
      layers: [layers.lstm({ units: 2, inputShape: [3, 2], name: 'lstm' }), layers.dense({ units: 1, name: 'dense' })],
    });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    base = await saveToMemory(m, io, { includeOptimizer: true });
    m.dispose();
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const topo = (a: ModelArtifacts) => a.modelTopology as any;

  for (const name of ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    it(`'${name}' as a layer class, activation, initializer and loss is refused by name`, async () => {
      const cls = cloneArtifacts(base);
      topo(cls).config.layers[1].class_name = name;
      await expect(loadLayersModel(io.fromMemory(cls))).rejects.toThrow(
        new RegExp(`^loadLayersModel: layer 1 .*unknown layer class '${name}'`),
      );
      const act = cloneArtifacts(base);
      topo(act).config.layers[0].config.activation = name;
      await expect(loadLayersModel(io.fromMemory(act))).rejects.toThrow(
        new RegExp(`^loadLayersModel: layer 0 .*Unknown activation '${name}'`),
      );
      const init = cloneArtifacts(base);
      topo(init).config.layers[1].config.kernel_initializer = { class_name: name, config: {} };
      await expect(loadLayersModel(io.fromMemory(init))).rejects.toThrow(new RegExp(`^loadLayersModel: layer 1 .*'${name}'`));
      const loss = cloneArtifacts(base);
      expect(loss.trainingConfig).toBeDefined();
      (loss.trainingConfig as { loss: string }).loss = name;
      await expect(loadLayersModel(io.fromMemory(loss))).rejects.toThrow(
        new RegExp(`^loadLayersModel: cannot compile the model from the file's training config: .*unknown loss '${name}'`),
      );
    });
  }
});
