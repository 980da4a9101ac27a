/**
 * The IO types are reachable as `io.ModelArtifacts`, `io.IOHandler`, ... as tfjs's `tf.io.*`, so TypeScript written
 * for tfjs (a custom save handler, a typed artifacts variable) compiles unchanged; tsc checks this file.
 */
import { tensor2d } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { io, loadLayersModel, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';

test('a custom IOHandler typed with io.* saves, and io.fromMemory loads what it kept', async () => {
  const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
  let kept: io.ModelArtifacts | null = null;
  const handler: io.IOHandler = {
    save: async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
      kept = artifacts;
      const info: io.ModelArtifactsInfo = { dateSaved: new Date(), modelTopologyType: 'JSON' };
      return { modelArtifactsInfo: info };
    },
  };
  await model.save(handler);
  expect(kept).not.toBeNull();
  const same: ModelArtifacts = kept!; // the same type as the top-level export
  const specs: io.WeightsManifestEntry[] = same.weightSpecs!;
  expect(specs.map((s) => s.name)).toEqual(model.weights.map((w) => w.name));
  const back = await loadLayersModel(io.fromMemory(same));
  const x = tensor2d([[1, 2, 3]]);
  expect(Array.from((back.predict(x) as ReturnType<typeof tensor2d>).dataSync())).toEqual(
    Array.from((model.predict(x) as ReturnType<typeof tensor2d>).dataSync()),
  );
});
