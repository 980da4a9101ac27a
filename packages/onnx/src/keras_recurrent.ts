/**
 * Keras-style recurrent layers → ONNX LSTM / GRU / RNN: `LSTM`, `GRU` (both `resetAfter`), `SimpleRNN`,
 * `RNN` with one built-in cell, and `Bidirectional` of those, read through their public API
 * (`getClassName()`, `getConfig()`, `getWeights()`).
 */
import type { Tensor } from '@recurrent/core';
import type { ConfigDict, Layer } from '@recurrent/layers';
import { recurrentActivation } from './activations';
import { concatFloats, GateMap, KERAS_GRU_GATES, KERAS_LSTM_GATES, kerasKernelToOnnx, reorderGates, SINGLE_GATE } from './gate_layout';
import type { GraphBuilder, GraphValue } from './graph_builder';
import {
  DirectionMerge,
  DirectionWeights,
  emitRecurrentOp,
  mergeLast,
  mergeSequence,
  RecurrentOpType,
  reverseFirstAxis,
  swapBatchTime,
} from './recurrent_op';
import { ValueError } from '@recurrent/core';

/** Class names this module exports. */
export const KERAS_RECURRENT_CLASSES = ['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional'];

const OPS: { [className: string]: RecurrentOpType } = {
  LSTM: 'LSTM',
  GRU: 'GRU',
  SimpleRNN: 'RNN',
  LSTMCell: 'LSTM',
  GRUCell: 'GRU',
  SimpleRNNCell: 'RNN',
};
const GATE_MAPS: { [op in RecurrentOpType]: GateMap } = { LSTM: KERAS_LSTM_GATES, GRU: KERAS_GRU_GATES, RNN: SINGLE_GATE };

/** A recurrent layer's description: the ONNX op and the config holding units / activations / useBias. */
interface RecurrentLayerInfo {
  op: RecurrentOpType;
  config: ConfigDict;
}

function describe(className: string, config: ConfigDict, where: string): RecurrentLayerInfo {
  if (className === 'RNN') {
    const cell = config.cell as { className?: string; config?: ConfigDict } | undefined;
    const op = cell?.className ? OPS[cell.className] : undefined;
    if (!cell || !op || cell.className === undefined || !cell.className.endsWith('Cell')) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: an RNN layer needs one LSTMCell, GRUCell or SimpleRNNCell, ` +
          `received cell ${JSON.stringify(cell?.className ?? null)}.`,
      );
    }
    return { op, config: { ...config, ...(cell.config ?? {}) } };
  }
  const op = OPS[className];
  if (!op) throw new ValueError(`onnx.exportModel: ${where}: ${className} is not a recurrent layer.`);
  return { op, config };
}

function checkExportable(config: ConfigDict, where: string): void {
  if (config.stateful) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported: stateful is true (an ONNX graph keeps no state between runs; ` +
        'export a copy built with stateful false and feed the states yourself).',
    );
  }
  if (config.returnState) {
    throw new ValueError(`onnx.exportModel: ${where} cannot be exported: returnState is true (a Sequential model has one output).`);
  }
}

/** One direction's ONNX weights from a Keras layer's `[kernel, recurrentKernel, bias?]`. */
function directionWeights(
  info: RecurrentLayerInfo,
  weights: Tensor[],
  where: string,
): { dir: DirectionWeights; inputSize: number; units: number } {
  const { op, config } = info;
  const units = config.units as number;
  const useBias = config.useBias !== false;
  const expected = useBias ? 3 : 2;
  if (weights.length !== expected) {
    throw new ValueError(
      `onnx.exportModel: ${where} has ${weights.length} weights, expected ${expected} (kernel, recurrentKernel${useBias ? ', bias' : ''}); is it built?`,
    );
  }
  const [kernel, recurrentKernel, bias] = weights;
  const inputSize = kernel.shape[0];
  const map = GATE_MAPS[op];
  const W = kerasKernelToOnnx(kernel.dataSync(), inputSize, units, map);
  const R = kerasKernelToOnnx(recurrentKernel.dataSync(), units, units, map);
  const GU = map.length * units;
  let B: Float32Array | null = null;
  if (bias) {
    const b = bias.dataSync();
    if (op === 'GRU' && config.resetAfter) {
      // Keras resetAfter bias [2, 3·units]: row 0 is the input bias, row 1 the recurrent bias (ONNX Wb, Rb).
      B = concatFloats([reorderGates(b.subarray(0, GU), units, map), reorderGates(b.subarray(GU, 2 * GU), units, map)]);
    } else {
      B = concatFloats([reorderGates(b, units, map), new Float32Array(GU)]);
    }
  }
  const act = recurrentActivation(config.activation, `${where} (activation)`);
  const activations =
    op === 'RNN'
      ? [act]
      : [recurrentActivation(config.recurrentActivation, `${where} (recurrentActivation)`), ...(op === 'LSTM' ? [act, act] : [act])];
  return { dir: { W, R, B, activations }, inputSize, units };
}

function checkInput(x: GraphValue, where: string): void {
  if (x.shape.length !== 3 || x.type !== 'float32') {
    throw new ValueError(
      `onnx.exportModel: ${where} expects a float32 input [batch, timeSteps, features], received ${x.type} of rank ${x.shape.length}.`,
    );
  }
}

/**
 * Appends the nodes of a Keras recurrent layer (or Bidirectional) applied to `x` [batch, time, features].
 * A masked `x` runs with `sequenceLens` (the graph's lengths input): each sequence stops at its length,
 * which is what Keras's mask gives for sequences padded at the end; the output sequence is still masked.
 */
export function exportKerasRecurrent(
  g: GraphBuilder,
  x: GraphValue,
  layer: Layer,
  where: string,
  sequenceLens: string | null = null,
): GraphValue {
  checkInput(x, where);
  const className = layer.getClassName();
  const config = layer.getConfig();
  const weights = layer.getWeights();
  const name = layer.name;
  let infos: RecurrentLayerInfo[];
  let merge: DirectionMerge = 'concat';
  let direction: 'forward' | 'reverse' | 'bidirectional';
  let split: number;
  if (className === 'Bidirectional') {
    const inner = config.layer as { className: string; config: ConfigDict };
    const fwd = describe(inner.className, inner.config, where);
    const bwdSerialized = config.backwardLayer as { className: string; config: ConfigDict } | undefined;
    const bwd = bwdSerialized ? describe(bwdSerialized.className, bwdSerialized.config, where) : fwd;
    checkExportable(fwd.config, where);
    if (config.mergeMode === null) {
      throw new ValueError(`onnx.exportModel: ${where} cannot be exported: mergeMode null gives two outputs (a Sequential model has one).`);
    }
    if (fwd.config.goBackwards) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: the wrapped layer has goBackwards true (use goBackwards false; the backward copy reverses).`,
      );
    }
    if (
      fwd.op !== bwd.op ||
      fwd.config.units !== bwd.config.units ||
      (fwd.op === 'GRU' && !!fwd.config.resetAfter !== !!bwd.config.resetAfter)
    ) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: ONNX's bidirectional operator needs the same layer type, units and resetAfter in both directions.`,
      );
    }
    merge = config.mergeMode as DirectionMerge;
    infos = [fwd, bwd];
    direction = 'bidirectional';
    split = fwd.config.useBias !== false ? 3 : 2;
  } else {
    const info = describe(className, config, where);
    checkExportable(info.config, where);
    infos = [info];
    direction = info.config.goBackwards ? 'reverse' : 'forward';
    split = weights.length;
  }
  if (x.masked && direction === 'reverse' && infos[0].config.returnSequences) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported with a mask: goBackwards with returnSequences gives the outputs in ` +
        'processing order under the unreversed mask, which sequence lengths cannot express.',
    );
  }
  if (x.masked && !infos[0].config.returnSequences && infos.some((info) => info.config.zeroOutputForMask)) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported with a mask: zeroOutputForMask true makes the last output zeros for ` +
        "a sequence whose last step is masked, while ONNX's last state with sequence lengths is that of its last valid step " +
        '(use zeroOutputForMask false, which does not change the last output otherwise).',
    );
  }
  const dirs = infos.map((info, k) => directionWeights(info, k === 0 ? weights.slice(0, split) : weights.slice(split), where));
  const { op, config: first } = infos[0];
  const units = dirs[0].units;
  const returnSequences = !!first.returnSequences;

  const xt = swapBatchTime(g, x.name, `${name}_time_major`);
  const { y, yH } = emitRecurrentOp(g, xt, {
    op,
    hiddenSize: units,
    inputSize: dirs[0].inputSize,
    direction,
    directions: dirs.map((d) => d.dir),
    linearBeforeReset: op === 'GRU' ? !!first.resetAfter : undefined,
    name,
    sequenceLens: x.masked && sequenceLens ? sequenceLens : undefined,
  });
  const D = dirs.length;
  const features = merge === 'concat' ? D * units : units;
  if (!returnSequences) return { name: mergeLast(g, yH, D, merge, name), type: 'float32', shape: [x.shape[0], features], masked: false };
  let seq = mergeSequence(g, y, D, merge, name);
  // Keras's goBackwards outputs are in processing order (last time step first); ONNX's are in time order.
  if (direction === 'reverse') seq = reverseFirstAxis(g, seq, `${name}_processing_order`);
  return {
    name: swapBatchTime(g, seq, `${name}_batch_major`),
    type: 'float32',
    shape: [x.shape[0], x.shape[1], features],
    masked: x.masked,
  };
}
