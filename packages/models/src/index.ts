/** @recurrent/models — sequential() models, training, serialization and IO. */
export const MODELS_VERSION = '0.1.0';
export * from './optimizers';
export * from './losses';
export * from './metrics';
export * from './engine';
export * from './callbacks';
export * from './io';
// MODELS-EXPORTS (add new exports above this line)
