/**
 * Shared by the ports of the official tfjs-examples (sentiment, addition-rnn, date-conversion-attention,
 * lstm-text-generation, jena-weather): each test writes the example's model and training code twice, once with
 * `@tensorflow/tfjs` (cpu backend) and once with recurrent's umbrella (`import * as rc from 'recurrent'`, here
 * its source), copies tfjs's initial weights into ours, and compares what the example's user sees.
 */
import * as tf from '@tensorflow/tfjs';
import * as rc from '../../src';

export {
  copyWeights,
  expectHistoryClose,
  expectMoved,
  expectWeightsClose,
  lcgData,
  snapshot,
} from '../../../models/test/engine/parity_helpers';

/** Expects two arrays of numbers to agree within rtol (plus atol for values near 0); names `what` and the worst entry on failure. */
export function expectClose(what: string, ours: ArrayLike<number>, theirs: ArrayLike<number>, rtol: number, atol = 1e-6): void {
  expect(ours.length).toBe(theirs.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ours.length; i++) {
    const r = Math.abs(ours[i] - theirs[i]) / (atol + rtol * Math.abs(theirs[i]));
    if (!(r <= worst)) [worst, at] = [Number.isNaN(r) ? Infinity : r, i];
  }
  if (worst > 1)
    throw new Error(
      `${what} differs from tfjs beyond rtol ${rtol}, atol ${atol}: at [${at}] ours ${ours[at]} vs tfjs ${theirs[at]} (${ours.length} values)`,
    );
}

/** What `model.summary()` printed (both libraries print through console.log by default). */
export function captureSummary(model: { summary: () => void }): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    model.summary();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/**
 * What a summary says, without the layer names (tfjs names layers `lstm_LSTM1`, we `lstm`, as Keras): every line
 * cut to the columns from "Input Shape" up to "Receives inputs" (graph tables), so input shapes, output shapes,
 * parameter counts, totals and the number of lines (one per inbound connection) are compared.
 */
export function summaryRows(lines: string[]): string[] {
  const header = lines.find((l) => l.includes('Input Shape'));
  if (header === undefined) throw new Error(`no header line in the summary:\n${lines.join('\n')}`);
  const from = header.indexOf('Input Shape');
  const to = header.indexOf('Receives inputs');
  return lines.map((l) => (l.startsWith('Total') || l.includes('params:') ? l : l.slice(from, to === -1 ? undefined : to).trimEnd()));
}

/** Saves a tfjs model into memory (tf.io.withSaveHandler) and returns its artifacts. */
export async function tfjsArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })),
  );
  return saved!;
}

/** Saves one of our models into memory (rc.io.withSaveHandler, as a tfjs user writes it) and returns its artifacts. */
export async function ourArtifacts(model: rc.LayersModel): Promise<rc.ModelArtifacts> {
  let saved: rc.ModelArtifacts | undefined;
  await model.save(
    rc.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })),
  );
  return saved!;
}

/** The same values in both libraries. */
export function both(values: ArrayLike<number>, shape: number[]): { t: tf.Tensor; r: rc.Tensor } {
  const v = Float32Array.from(values);
  return { t: tf.tensor(v, shape), r: rc.tensor(v, shape) };
}
