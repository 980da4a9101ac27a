/**
 * @recurrent/onnx — exports recurrent models (Keras-style Sequential, PyTorch-style nn modules) to ONNX, for
 * ONNX Runtime (Node, web) and the servers built on it. A separate package: it depends on protobufjs (through
 * onnx-proto), which the main `recurrent` bundle does not.
 */
export const ONNX_VERSION = '0.1.0';
export { exportModel, MIN_OPSET, MAX_OPSET } from './export_model';
export type { ExportOptions, ExportableModel } from './export_model';
export { saveModelFile } from './save_file';
export { GraphBuilder, irVersionFor } from './graph_builder';
export type { Attr, Dim, ElemType, GraphValue, ModelMeta } from './graph_builder';
export { SUPPORTED_KERAS_CLASSES } from './keras_layers';
export { SUPPORTED_NN_KINDS } from './nn_modules';
