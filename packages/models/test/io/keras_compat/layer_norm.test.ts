/**
 * layer_norm.ts: Keras 3 LayerNormalization writes `rms_scaling` (false by default) and, like Keras 2,
 * `beta_constraint` / `gamma_constraint`; both made the real Keras 3.15 fixture
 * fixtures/keras/real/attention_functional fail to load ("unknown option 'rmsScaling'", then 'betaConstraint').
 */
import { deserialize, Layer, LayerNormalization } from '@recurrent/layers';
import { convertPythonicToTs } from '../../../src/io/case_conversion';
import { normalizeKerasTopology } from '../../../src/io/keras_compat';

function model(extra: Record<string, unknown>) {
  return {
    keras_version: '3.15.1',
    model_config: {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          {
            class_name: 'LayerNormalization',
            config: { name: 'norm', axis: [-1], epsilon: 0.001, center: true, scale: true, batch_shape: [null, 5, 8], ...extra },
          },
        ],
      },
    },
  };
}

describe('Keras 3 LayerNormalization config', () => {
  it('rms_scaling false is dropped; beta/gamma constraints load as constraints of the weights', () => {
    const n = normalizeKerasTopology(
      model({
        rms_scaling: false,
        beta_constraint: null,
        gamma_constraint: { module: 'keras.constraints', class_name: 'NonNeg', config: {} },
      }),
    );
    const entry = n.topology.config.layers[0];
    expect(entry.config.rms_scaling).toBeUndefined();
    const ts = convertPythonicToTs(entry);
    const layer = deserialize<Layer>({ className: ts.className, config: ts.config }, 'layer') as LayerNormalization;
    layer.maybeBuild([null, 5, 8]);
    expect(layer.gamma!.constraint?.getClassName()).toBe('NonNeg');
    expect(layer.beta!.constraint).toBeNull();
    expect(n.warnings).toEqual([]);
  });

  it('rms_scaling true (deprecated in Keras) is refused naming the layer and field', () => {
    expect(() => normalizeKerasTopology(model({ rms_scaling: true }))).toThrow(
      /LayerNormalization 'norm'\)\.rms_scaling: LayerNormalization rms_scaling \(deprecated in Keras 3\) is not supported, received boolean true/,
    );
  });
});
