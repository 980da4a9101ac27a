/** @recurrent/layers — Keras-style layers, cells, initializers and PyTorch-style nn modules. */
export const LAYERS_VERSION = '0.1.0';
