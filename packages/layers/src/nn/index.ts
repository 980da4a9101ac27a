/**
 * `nn`: PyTorch-style modules over the same fused recurrent kernels as the Keras-style layers
 * (exported from @recurrent/layers as the namespace `nn`).
 */
export { Module } from './module';
export type { StateDict, LoadStateDictOptions, LoadStateDictResult } from './module';
export { RNNBase } from './rnn_base';
export type { RNNBaseOptions, RecurrentResult } from './rnn_base';
export { RNN } from './rnn';
export type { RNNOptions } from './rnn';
export { LSTM } from './lstm';
export type { LSTMOptions, LSTMState } from './lstm';
export { GRU } from './gru';
export type { GRUOptions } from './gru';
export { RNNCellBase } from './rnn_cell_base';
export type { CellOptions } from './rnn_cell_base';
export { RNNCell } from './rnn_cell';
export type { RNNCellOptions } from './rnn_cell';
export { LSTMCell } from './lstm_cell';
export type { LSTMCellOptions } from './lstm_cell';
export { GRUCell } from './gru_cell';
export type { GRUCellOptions } from './gru_cell';
export { Linear } from './linear';
export type { LinearOptions } from './linear';
export { Embedding } from './embedding';
export type { EmbeddingOptions, EmbeddingFromPretrainedOptions } from './embedding';
export { Dropout } from './dropout';
export type { DropoutOptions } from './dropout';
export { Softmax, LogSoftmax } from './softmax';
export { ReLU, Tanh, Sigmoid, SiLU, GELU, LeakyReLU, ELU } from './activation';
export type { GELUOptions, LeakyReLUOptions, ELUOptions } from './activation';
export { LayerNorm } from './layer_norm';
export type { LayerNormOptions } from './layer_norm';
export { MultiheadAttention } from './multihead_attention';
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions } from './multihead_attention';
export { Conv1d } from './conv1d';
export type { Conv1dOptions } from './conv1d';
export * as init from './weight_init';
export { CTCLoss } from './ctc_loss';
export type { CTCLossOptions, CTCLossReduction } from './ctc_loss';
export { Sequential } from './sequential';
export type { UnaryModule } from './sequential';
export { loadStateDictJSON, stateDictToJSON } from './state_dict_json';
export type { JSONTensor } from './state_dict_json';
export * as utils from './utils';
export * as convert from './convert';
export * as optim from './optim/index';
export { Loss, CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss, BCEWithLogitsLoss } from './loss/index';
export type {
  Reduction,
  LossOptions,
  CrossEntropyLossOptions,
  NLLLossOptions,
  SmoothL1LossOptions,
  BCEWithLogitsLossOptions,
} from './loss/index';
export { saveSafetensors, loadSafetensors, readSafetensors } from './safetensors';
export type { SaveSafetensorsOptions, SafetensorsContents } from './safetensors';
export { saveSafetensorsFile, loadSafetensorsFile } from './safetensors_file';
