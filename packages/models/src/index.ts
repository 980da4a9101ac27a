/** @recurrent/models — sequential() models, training, serialization and IO. */
export const MODELS_VERSION = '0.1.0';
