/**
 * shapes.ts: Keras 3.10+ InputLayer `optional` (found by the real Keras 3.15 converter fixtures in
 * fixtures/keras/real/: functional models failed with "InputLayer: unknown option 'optional'").
 */
import { normalizeKerasTopology } from '../../../src/io/keras_compat';

const input = (name: string, optional: unknown) => ({
  class_name: 'InputLayer',
  config: { batch_shape: [null, 4, 2], dtype: 'float32', sparse: false, ragged: false, name, optional },
  name,
  inbound_nodes: [],
});

function functional(optional: unknown) {
  return {
    keras_version: '3.15.1',
    model_config: {
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          input('x', optional),
          {
            class_name: 'Dense',
            config: { name: 'd', units: 2 },
            name: 'd',
            inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 4, 2], keras_history: ['x', 0, 0] } }] }],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    },
  };
}

function sequential(optional: unknown) {
  return {
    keras_version: '3.15.1',
    model_config: {
      class_name: 'Sequential',
      config: { name: 's', layers: [input('x', optional), { class_name: 'Dense', config: { name: 'd', units: 2 } }] },
    },
  };
}

describe('Keras 3 InputLayer optional', () => {
  it('false (Keras default) is dropped in a functional model; the rest of the InputLayer config is kept', () => {
    const n = normalizeKerasTopology(functional(false));
    const cfg = n.topology.config.layers[0].config;
    expect(cfg).toEqual({ batch_input_shape: [null, 4, 2], dtype: 'float32', sparse: false, ragged: false, name: 'x' });
    expect(n.warnings).toEqual([]);
  });

  it('false is accepted in a Sequential (the InputLayer becomes the first layer batch_input_shape)', () => {
    const n = normalizeKerasTopology(sequential(false));
    expect(n.topology.config.layers).toHaveLength(1);
    expect(n.topology.config.layers[0].config.batch_input_shape).toEqual([null, 4, 2]);
  });

  it('true is refused, naming the field, in both model kinds', () => {
    expect(() => normalizeKerasTopology(functional(true))).toThrow(
      /model_config\.config\.layers\[0\].*optional: optional inputs \(Keras 3 Input\(optional=True\)\) are not supported, received boolean true\./,
    );
    expect(() => normalizeKerasTopology(sequential(true))).toThrow(
      /\(InputLayer 'x'\)\.optional: optional inputs .* received boolean true\./,
    );
    expect(() => normalizeKerasTopology(functional('yes'))).toThrow(/optional inputs .* received /);
  });
});
