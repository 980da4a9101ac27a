/**
 * Typed errors, so that callers and tests can tell kinds of failure apart without matching message text.
 * Each is a plain `Error` subclass (its message keeps the library's form: what, argument, expected, received).
 *
 * ```ts
 * try { layers.lstm({ unit: 4 } as never); } catch (e) { if (e instanceof ValueError) ...; }
 * ```
 * tfjs note: tfjs-layers has ValueError, NotImplementedError (and others) in its errors.ts, not exported
 * from @tensorflow/tfjs; here they are exported.
 */

/** A bad argument value or option: unknown key, wrong type, out-of-range number, missing required option. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A valid request this library does not implement (e.g. an option value tfjs/Keras accept but we do not). */
export class NotImplementedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotImplementedError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * A model or weights file that cannot be loaded. `fieldPath` names the offending field of the file, e.g.
 * `'modelTopology.config.layers[2]'` (empty when the whole file is at fault).
 *
 * ```ts
 * try { await loadLayersModel(url); } catch (e) { if (e instanceof LoadError) console.log(e.fieldPath); }
 * ```
 */
export class LoadError extends Error {
  readonly fieldPath: string;
  constructor(message: string, fieldPath = '') {
    super(message);
    this.name = 'LoadError';
    this.fieldPath = fieldPath;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
