/**
 * loadLayersModel's weight step: decode the artifacts' weights (model and optimizer groups), match them to the model's
 * variables by name (`matchWeights`; positionally when allowed) and assign them, with the load report's weight part.
 */
import type { Tensor } from '@recurrent/core';
import { describeJsonValue } from '../io/model_json';
import type { ModelArtifacts, WeightsManifestEntry } from '../io/types';
import { matchWeights } from '../io/weight_matching';
import { decodeModelAndOptimizerWeights } from '../io/weights';
import type { WeightLoadReport } from './load_report';
import type { LayersModel } from './layers_model';
import { messageOf } from './model_from_topology';
import { loadError, loadStep } from './load_error';

function shapeKey(shape: readonly (number | null)[]): string {
  return `[${shape.join(',')}]`;
}

export interface DecodedWeights {
  modelWeights: { [name: string]: Tensor };
  specs: WeightsManifestEntry[];
  /** The file's optimizer weights (group 'optimizer'), in file order. */
  optimizer: Array<{ name: string; tensor: Tensor }>;
  totalElements: number;
}

/** The artifacts' weights decoded; `totalElements` is what `checkDeclaredWeightTotal` counted of the (now checked) specs. */
export function decodeArtifactWeights(artifacts: ModelArtifacts, totalElements: number): DecodedWeights | null {
  if (artifacts.weightSpecs == null) {
    if (artifacts.weightData != null) throw loadError('the artifacts have weightData but no weightSpecs describing it.');
    return null;
  }
  if (!Array.isArray(artifacts.weightSpecs))
    throw loadError(`weightSpecs must be an array, received ${describeJsonValue(artifacts.weightSpecs)}.`);
  if (artifacts.weightData == null) {
    throw loadError(`the artifacts have ${artifacts.weightSpecs.length} weight specs but no weightData.`);
  }
  const { weightData, weightSpecs } = artifacts;
  const decoded = loadStep(() => decodeModelAndOptimizerWeights(weightData, weightSpecs));
  return {
    modelWeights: decoded.modelWeights,
    specs: artifacts.weightSpecs.filter((s) => s.group !== 'optimizer'),
    optimizer: decoded.optimizerWeights,
    totalElements,
  };
}

/** Matches decoded weights to the model's variables and assigns them; returns the report's weight part. */
export function assignWeights(
  model: LayersModel,
  weights: DecodedWeights | null,
  strict: boolean,
  allowPositional: boolean,
): WeightLoadReport {
  const report: WeightLoadReport = {
    strict,
    matched: [],
    missing: [],
    extra: [],
    mismatched: [],
    skippedOptimizerWeights: weights?.optimizer.map((w) => w.name) ?? [],
    compiled: false,
    warnings: [],
  };
  const variables = model.weights;
  if (weights === null) {
    report.missing = variables.map((v) => ({ name: v.originalName, shape: v.shape.slice() }));
    if (strict && variables.length > 0) {
      throw loadError(
        `the file has no weights (no weightsManifest / weightSpecs) but the model has ${variables.length}: ` +
          `${variables.map((v) => v.originalName).join(', ')}. Use {strict: false} to load the topology with initial weights.`,
      );
    }
    return report;
  }
  const names = variables.map((v) => v.originalName);
  const expectedShapes: { [name: string]: number[] } = {};
  variables.forEach((v) => (expectedShapes[v.originalName] = v.shape.slice()));
  const available = weights.modelWeights;

  let result: ReturnType<typeof matchWeights<Tensor>>;
  try {
    result = matchWeights(names, available, { strict: false, expectedShapes, allowPositional });
  } catch (e) {
    // A name matched with the wrong shape: strict loads stop here; non-strict ones report it.
    if (strict) throw loadError(messageOf(e), e);
    result = matchWeights(names, available, { strict: false, allowPositional: false });
  }
  const positional = new Set(result.positional.map(([n]) => n));
  if (result.positional.length > 0) {
    report.warnings.push(
      `${result.positional.length} weights matched by position (allowPositional), not by name: ` +
        result.positional.map(([n, src]) => `${src} → ${n}`).join(', '),
    );
  }
  const usedSources = new Set<string>();
  const assignments: Array<[number, Tensor]> = [];
  variables.forEach((v, i) => {
    const value = result.matched.get(v.originalName);
    if (value === undefined) {
      report.missing.push({ name: v.originalName, shape: v.shape.slice() });
      return;
    }
    const source = result.sources.get(v.originalName)!;
    if (shapeKey(value.shape) !== shapeKey(v.shape) || value.dtype !== v.dtype) {
      report.mismatched.push({
        name: v.originalName,
        source,
        expectedShape: v.shape.slice(),
        fileShape: value.shape.slice(),
        expectedDtype: v.dtype,
        fileDtype: value.dtype,
      });
      return;
    }
    usedSources.add(source);
    assignments.push([i, value]);
    report.matched.push({
      name: v.originalName,
      source,
      shape: v.shape.slice(),
      match: positional.has(v.originalName) ? 'position' : source === v.originalName ? 'exact' : 'renamed',
    });
  });
  for (const spec of weights.specs) {
    if (!usedSources.has(spec.name) && !report.mismatched.some((m) => m.source === spec.name)) {
      report.extra.push({ name: spec.name, shape: spec.shape.slice() });
    }
  }
  if (strict && (report.missing.length > 0 || report.extra.length > 0 || report.mismatched.length > 0)) {
    const parts: string[] = [];
    if (report.missing.length > 0) {
      parts.push(
        `${report.missing.length} of ${variables.length} model weights have no value in the file: ` +
          report.missing.map((m) => `${m.name} ${shapeKey(m.shape)}`).join(', '),
      );
    }
    if (report.extra.length > 0) {
      parts.push(`the file has weights no variable takes: ${report.extra.map((m) => `${m.name} ${shapeKey(m.shape)}`).join(', ')}`);
    }
    if (report.mismatched.length > 0) {
      parts.push(
        `shapes or dtypes differ: ${report.mismatched
          .map(
            (m) =>
              `file weight ${m.source} ${shapeKey(m.fileShape)} ${m.fileDtype} for variable ${m.name} ${shapeKey(m.expectedShape)} ${m.expectedDtype}`,
          )
          .join(', ')}`,
      );
    }
    throw loadError(`${parts.join('; ')}. Load with {strict: false} to inspect model.loadReport instead.`);
  }
  for (const [i, value] of assignments) variables[i].assign(value);
  return report;
}
