/**
 * recurrent — recurrent neural networks for JavaScript and TypeScript.
 * Re-exports the whole public API of @recurrent/core, @recurrent/layers and @recurrent/models,
 * as `@tensorflow/tfjs` does for its packages.
 */
export * from '@recurrent/core';
export * from '@recurrent/layers';
export * from '@recurrent/models';
import { CORE_VERSION } from '@recurrent/core';

/** The library version (one for all recurrent packages: the root package.json, injected by scripts/version.js). */
export const version: string = CORE_VERSION;
