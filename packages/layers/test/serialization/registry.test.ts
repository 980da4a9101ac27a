import {
  BUILTIN_CLASSES,
  Dense,
  deserialize,
  getRegisteredClass,
  Initializer,
  Layer,
  registerBuiltins,
  registerClass,
  registeredClassNames,
  serialize,
} from '@recurrent/layers';
import { ones, Tensor } from '@recurrent/core';

describe('registry', () => {
  it('holds every built-in class under its kind; registerBuiltins is idempotent', () => {
    registerBuiltins();
    registerBuiltins();
    for (const cls of BUILTIN_CLASSES) expect(getRegisteredClass(cls.className, cls.serializableKind)).toBe(cls);
    expect(registeredClassNames('layer')).toEqual(expect.arrayContaining(['Dense', 'Dropout', 'InputLayer']));
    expect(registeredClassNames('initializer')).toContain('Orthogonal');
    expect(registeredClassNames('activation')).toContain('gelu');
    expect(getRegisteredClass('Dense')).toBe(Dense);
  });

  it('importing the package registers nothing: lookups find the built-ins through the modules that need them', () => {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const pkg = require('@recurrent/layers') as typeof import('@recurrent/layers');
      const registry = require('../../src/serialization/registry') as typeof import('../../src/serialization/registry');
      /* eslint-enable @typescript-eslint/no-require-imports */
      // The registry itself holds only what registerClass put there (nothing yet in this fresh module graph).
      expect(registry.registeredClassNames('layer')).toEqual([]);
      expect(registry.getRegisteredClass('LSTM', 'layer')).toBeUndefined();
      // The package's lookups consult every built-in class; a kind's own lookup its kind's table.
      expect(pkg.getRegisteredClass('LSTM', 'layer')).toBe(pkg.LSTM);
      expect(pkg.deserialize({ className: 'LSTM', config: { units: 2 } }, 'layer')).toBeInstanceOf(pkg.LSTM);
      expect(pkg.getInitializer('glorot_uniform')).toBeInstanceOf(pkg.GlorotUniform);
      // A generic RNN's serialized cell, and a stack's cells, resolve outside a model file too.
      const rnn = new pkg.RNN({
        cell: { className: 'StackedRNNCells', config: { cells: [{ className: 'GRUCell', config: { units: 3 } }] } },
      });
      expect((rnn.cell as InstanceType<typeof pkg.StackedRNNCells>).cells[0]).toBeInstanceOf(pkg.GRUCell);
      expect(registry.registeredClassNames('layer')).toEqual([]);
    });
  });

  it('deserialize rebuilds from {className, config} and Keras {class_name, config}', () => {
    const d = new Dense({ units: 4, activation: 'relu' });
    const back = deserialize<Dense>(serialize(d), 'layer');
    expect(back).toBeInstanceOf(Dense);
    expect(back.getConfig()).toEqual(d.getConfig());
    const keras = deserialize<Initializer>({ class_name: 'Zeros', config: {} }, 'initializer');
    expect(keras.getClassName()).toBe('Zeros');
  });

  it('unknown names list the known ones and say how to register', () => {
    expect(() => deserialize({ className: 'Fancy', config: {} }, 'layer')).toThrow(
      /Unknown layer class 'Fancy'. Known layer classes: .*Dense.*registerClass\(YourClass\)/,
    );
    expect(() => deserialize({ className: 'Dense', config: { units: 1 } }, 'initializer')).toThrow(/Unknown initializer class 'Dense'/);
  });

  it('custom classes register and deserialize (also via customObjects); classes without className are rejected', () => {
    class Doubler extends Layer {
      static override className = 'Doubler';
      override call(x: Tensor | Tensor[]): Tensor {
        return (x as Tensor).mul(2);
      }
    }
    expect(() => deserialize({ className: 'Doubler', config: {} }, 'layer')).toThrow(/Unknown layer class 'Doubler'/);
    expect(deserialize({ className: 'Doubler', config: {} }, 'layer', { Doubler })).toBeInstanceOf(Doubler);
    registerClass(Doubler);
    const l = deserialize<Doubler>({ className: 'Doubler', config: { name: 'dbl' } }, 'layer');
    expect(l.name).toBe('dbl');
    expect(Array.from((l.apply(ones([2])) as Tensor).dataSync())).toEqual([2, 2]);
    expect(() => registerClass({} as never)).toThrow(/registerClass: expected a class/);
    const NoName = class extends Layer {};
    (NoName as unknown as { className: string }).className = '';
    expect(() => registerClass(NoName)).toThrow(/has no static className/);
  });
});
