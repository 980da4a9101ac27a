import { layers } from '@recurrent/layers';
import { sequential, Sequential } from '@recurrent/models';
import { exportModel } from '../src';
import { expectOnnxMatches, randomInput, randomizeWeights } from './helpers/ort_compare';

test('smoke lstm', async () => {
  const model = sequential({ layers: [layers.lstm({ units: 3, inputShape: [4, 2] })] }) as Sequential;
  randomizeWeights(model, 1);
  const x = randomInput([2, 4, 2], 7);
  const bytes = exportModel(model);
  await expectOnnxMatches(bytes, x, model.predict(x) as any);
});
