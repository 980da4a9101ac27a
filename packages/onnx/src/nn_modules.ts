/**
 * PyTorch-style `nn` modules → ONNX: `nn.LSTM` / `nn.GRU` / `nn.RNN` (numLayers, bidirectional, batchFirst,
 * bias; one ONNX recurrent node per layer), `nn.Linear` (MatMul + Add), `nn.Embedding` (Gather),
 * `nn.Dropout` (identity) and `nn.Sequential` of those. Output of a recurrent module: the output sequence
 * (what its `forward` returns).
 */
import { nn } from '@recurrent/layers';
import { recurrentActivation } from './activations';
import { concatFloats, GateMap, SINGLE_GATE, TORCH_GRU_GATES, TORCH_LSTM_GATES, torchWeightToOnnx } from './gate_layout';
import type { GraphBuilder, GraphValue } from './graph_builder';
import { DirectionWeights, emitRecurrentOp, mergeSequence, RecurrentOpType, swapBatchTime } from './recurrent_op';
import { NotImplementedError, ValueError } from '@recurrent/core';

/** Module kinds `exportNnModule` takes. */
export const SUPPORTED_NN_KINDS = ['LSTM', 'GRU', 'RNN', 'Linear', 'Embedding', 'Dropout', 'Sequential'];

const TORCH_GATES: { [op in RecurrentOpType]: GateMap } = { LSTM: TORCH_LSTM_GATES, GRU: TORCH_GRU_GATES, RNN: SINGLE_GATE };

/** The module's input, as the exporter sees it: what kind of tensor the first module takes. */
export function nnInputKind(
  module: nn.Module,
): { kind: 'sequence'; features: number; batchFirst: boolean } | { kind: 'features'; features: number } | { kind: 'ids' } {
  const k = module.kind();
  if (k === 'Sequential') {
    const first = module.children()[0];
    if (!first) throw new ValueError('onnx.exportModel: nn.Sequential is empty; nothing to export.');
    return nnInputKind(first);
  }
  if (module instanceof nn.RNNBase) return { kind: 'sequence', features: module.inputSize, batchFirst: module.batchFirst };
  if (module instanceof nn.Linear) return { kind: 'features', features: module.inFeatures };
  if (module instanceof nn.Embedding) return { kind: 'ids' };
  if (module instanceof nn.Dropout) {
    throw new ValueError('onnx.exportModel: the input shape of a model starting with nn.Dropout is unknown; pass inputShape.');
  }
  throw unsupported(module);
}

function unsupported(module: nn.Module): NotImplementedError {
  return new NotImplementedError(
    `onnx.exportModel: module nn.${module.kind()} cannot be exported: no ONNX conversion for it ` +
      `(supported: ${SUPPORTED_NN_KINDS.map((k) => `nn.${k}`).join(', ')}).`,
  );
}

/** Appends the nodes of `module` applied to `x`; returns its output. `path` names the module in messages and tensor names. */
export function exportNnModule(g: GraphBuilder, x: GraphValue, module: nn.Module, path: string): GraphValue {
  if (module instanceof nn.Sequential) {
    let y = x;
    module.namedChildren().forEach(([name, child]) => {
      y = exportNnModule(g, y, child, path ? `${path}.${name}` : name);
    });
    return y;
  }
  const stem = path || module.kind().toLowerCase();
  if (module instanceof nn.RNNBase) return exportRecurrentModule(g, x, module, stem);
  if (module instanceof nn.Linear) {
    if (x.type !== 'float32') throw new ValueError(`onnx.exportModel: nn.Linear '${stem}' expects a float32 input, received ${x.type}.`);
    const out = module.outFeatures;
    const inF = module.inFeatures;
    // weight [out, in]: MatMul with its transpose [in, out].
    const wt = new Float32Array(inF * out);
    const wv = module.weight.dataSync();
    for (let o = 0; o < out; o++) for (let i = 0; i < inF; i++) wt[i * out + o] = wv[o * inF + i];
    let y = g.addNode('MatMul', [x.name, g.addInitializer(`${stem}.weight_t`, wt, [inF, out])], {}, 1, `${stem}_matmul`)[0];
    if (module.bias) {
      y = g.addNode('Add', [y, g.addInitializer(`${stem}.bias`, module.bias.dataSync() as Float32Array, [out])], {}, 1, `${stem}_add`)[0];
    }
    return { name: y, type: 'float32', shape: [...x.shape.slice(0, -1), out] };
  }
  if (module instanceof nn.Embedding) {
    const table = g.addInitializer(`${stem}.weight`, module.weight.dataSync() as Float32Array, [module.numEmbeddings, module.embeddingDim]);
    const ids = x.type === 'float32' ? g.addNode('Cast', [x.name], { to: { i: 7 } }, 1, `${stem}_ids`)[0] : x.name;
    const y = g.addNode('Gather', [table, ids], { axis: { i: 0 } }, 1, stem)[0];
    return { name: y, type: 'float32', shape: [...x.shape, module.embeddingDim] };
  }
  if (module instanceof nn.Dropout) return x;
  throw unsupported(module);
}

function exportRecurrentModule(g: GraphBuilder, x: GraphValue, m: nn.RNNBase, stem: string): GraphValue {
  const where = `nn.${m.kind()} '${stem}'`;
  if (m.projSize > 0) {
    throw new ValueError(`onnx.exportModel: ${where} cannot be exported: projSize ${m.projSize} (ONNX's LSTM operator has no projection).`);
  }
  if (x.shape.length !== 3 || x.type !== 'float32') {
    throw new ValueError(
      `onnx.exportModel: ${where} expects a float32 input of rank 3 (batched), received ${x.type} of rank ${x.shape.length}.`,
    );
  }
  const op = m.mode as RecurrentOpType;
  const H = m.hiddenSize;
  const D = m.numDirections;
  const map = TORCH_GATES[op];
  const act = op === 'RNN' ? recurrentActivation(m.nonlinearity, where) : null;
  let seq = m.batchFirst ? swapBatchTime(g, x.name, `${stem}_time_major`) : x.name;
  for (let l = 0; l < m.numLayers; l++) {
    const inputSize = l === 0 ? m.inputSize : D * H;
    const directions: DirectionWeights[] = [];
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const W = torchWeightToOnnx(m.getParameter(`weight_ih${sfx}`).dataSync(), H, inputSize, map);
      const R = torchWeightToOnnx(m.getParameter(`weight_hh${sfx}`).dataSync(), H, H, map);
      const B = m.bias
        ? concatFloats([
            torchWeightToOnnx(m.getParameter(`bias_ih${sfx}`).dataSync(), H, 1, map),
            torchWeightToOnnx(m.getParameter(`bias_hh${sfx}`).dataSync(), H, 1, map),
          ])
        : null;
      const sig = { name: 'Sigmoid' };
      const tanh = { name: 'Tanh' };
      const activations = op === 'LSTM' ? [sig, tanh, tanh] : op === 'GRU' ? [sig, tanh] : [act!];
      directions.push({ W, R, B, activations });
    }
    const { y } = emitRecurrentOp(g, seq, {
      op,
      hiddenSize: H,
      inputSize,
      direction: D === 2 ? 'bidirectional' : 'forward',
      directions,
      // PyTorch's GRU applies the reset gate to (W_hn·h + b_hn): ONNX linear_before_reset = 1.
      linearBeforeReset: op === 'GRU' ? true : undefined,
      name: `${stem}_l${l}`,
    });
    seq = mergeSequence(g, y, D, 'concat', `${stem}_l${l}`);
  }
  const out = m.batchFirst ? swapBatchTime(g, seq, `${stem}_batch_major`) : seq;
  return { name: out, type: 'float32', shape: [x.shape[0], x.shape[1], D * H] };
}
