/**
 * clean.ts: Keras 3.12+ writes `input_axes` / `output_axes` in every VarianceScaling-family initializer config
 * (GlorotUniform, HeNormal, LecunUniform, ...), null by default; found by the real Keras 3.15 converter
 * fixtures (fixtures/keras/real/), which failed to load with "GlorotUniform: unknown option 'inputAxes'".
 */
import { deserialize, Layer } from '@recurrent/layers';
import { convertPythonicToTs } from '../../../src/io/case_conversion';
import { normalizeKerasTopology } from '../../../src/io/keras_compat';

function lstmWith(kernelInitializer: unknown) {
  return {
    keras_version: '3.15.1',
    backend: 'tensorflow',
    model_config: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 5, 3], dtype: 'float32', name: 'input_layer', optional: false } },
          {
            class_name: 'LSTM',
            config: {
              name: 'lstm',
              units: 4,
              kernel_initializer: kernelInitializer,
              recurrent_initializer: {
                module: 'keras.initializers',
                class_name: 'Orthogonal',
                config: { seed: null, gain: 1.0 },
                registered_name: null,
              },
            },
          },
        ],
      },
    },
  };
}

describe('Keras 3 initializer input_axes / output_axes', () => {
  it('null (what Keras writes by default) is dropped without a warning, and the layer builds', () => {
    const n = normalizeKerasTopology(
      lstmWith({
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null, input_axes: null, output_axes: null },
        registered_name: null,
      }),
    );
    const lstm = n.topology.config.layers[0];
    expect(lstm.config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(lstm.config.recurrent_initializer).toEqual({ class_name: 'Orthogonal', config: { seed: null, gain: 1.0 } });
    expect(n.warnings).toEqual([]);
    const ts = convertPythonicToTs(lstm);
    const layer = deserialize<Layer>({ className: ts.className, config: ts.config }, 'layer');
    expect(layer.getConfig().units).toBe(4);
  });

  it('set axes are dropped with a warning naming the path (fans come from the shape; loaded weights are unaffected)', () => {
    const n = normalizeKerasTopology(lstmWith({ class_name: 'HeNormal', config: { seed: 3, input_axes: [0], output_axes: [1] } }));
    expect(n.topology.config.layers[0].config.kernel_initializer).toEqual({ class_name: 'HeNormal', config: { seed: 3 } });
    expect(n.warnings).toEqual([
      'model_config.config.layers[1].config.kernel_initializer.config.input_axes: the array [0] is ignored; the initializer computes fans from the weight shape (the loaded weights come from the file).',
      'model_config.config.layers[1].config.kernel_initializer.config.output_axes: the array [1] is ignored; the initializer computes fans from the weight shape (the loaded weights come from the file).',
    ]);
  });

  it('only initializer configs lose the keys: a layer option of the same name is left to the layer to refuse', () => {
    const topo = lstmWith({ class_name: 'GlorotUniform', config: { seed: null } });
    (topo.model_config.config.layers[1].config as Record<string, unknown>).input_axes = null;
    const n = normalizeKerasTopology(topo);
    expect(n.topology.config.layers[0].config.input_axes).toBeNull();
  });
});
