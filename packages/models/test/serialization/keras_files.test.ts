/**
 * Keras files through loadLayersModel: the Keras-compatibility pre-processing (io/keras_compat.ts) is wired into
 * the loader. Each hand-written Keras 2 / Keras 3 / converter fixture, with generated weights, loads through
 * loadLayersModel (strict) into the same model, with the same weights and predictions, as the step-by-step
 * pipeline the keras_compat tests check against float64 formulas.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel } from '@recurrent/models';
import { fixture, generatedWeights, inputs, loadByHand } from '../io/keras_compat_helpers';
import { values } from './helpers';

const FIXTURES = [
  'keras2_converter_lstm.model.json',
  'keras2_cudnn.model.json',
  'keras2_legacy_sequential.model.json',
  'keras3_gru_reset_after.model.json',
  'keras3_hard_sigmoid_lstm.model.json',
];

beforeEach(() => resetNameCounters());

describe('Keras files load through loadLayersModel', () => {
  for (const name of FIXTURES) {
    it(name, async () => {
      const json = fixture(name);
      const specs = io.getWeightSpecs(json.weightsManifest);
      const { data } = io.encodeWeights(specs.map((s) => ({ name: s.name, tensor: generatedWeights(specs)[s.name] })));
      const model = await loadLayersModel(
        io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: specs,
          weightData: data,
          generatedBy: json.generatedBy,
          format: json.format,
        }),
      );
      const { model: byHand } = loadByHand(json);
      expect((model.toJSON(null, false) as any).config.layers).toEqual((byHand.toJSON(null, false) as any).config.layers);
      model.weights.forEach((w, i) => expect(values(w)).toEqual(values(byHand.weights[i])));
      const shape = model.inputShape;
      const { x } = inputs(2, (shape[1] as number) ?? 3, shape[2] as number);
      expect(values(model.predict(x))).toEqual(values(byHand.predict(x)));
      expect(model.loadReport!.missing).toEqual([]);
      expect(model.loadReport!.extra).toEqual([]);
    });
  }
});
