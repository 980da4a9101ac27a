/**
 * recurrent — recurrent neural networks for JavaScript and TypeScript.
 * Re-exports the whole public API of @recurrent/core, @recurrent/layers and @recurrent/models,
 * as `@tensorflow/tfjs` does for its packages.
 */
export * from '@recurrent/core';
export * from '@recurrent/layers';
export * from '@recurrent/models';

/** The library version. */
export const version = '0.1.0';
