/**
 * Name tables looked up by user or file strings (losses, metrics, optimizers, activations, custom objects...):
 * null-prototype, frozen copies read by OWN property only, so inherited names ('constructor', 'toString',
 * 'valueOf', 'hasOwnProperty', '__proto__') are unknown names like any other, never a function of
 * Object.prototype that "works" until it fails later.
 *
 * ```ts
 * const LOSSES = nameTable({meanSquaredError: mse});
 * ownEntry(LOSSES, 'constructor');   // undefined
 * ```
 */

/** A frozen null-prototype copy of `entries`' own enumerable properties. */
export function nameTable<T>(entries: { readonly [name: string]: T }): Readonly<{ [name: string]: T }> {
  const out = Object.create(null) as { [name: string]: T };
  for (const k of Object.keys(entries)) out[k] = entries[k];
  return Object.freeze(out);
}

/** `table[name]` when `name` is a string and an OWN property of `table`; else undefined. */
export function ownEntry<T>(table: { readonly [name: string]: T } | null | undefined, name: unknown): T | undefined {
  if (table === null || table === undefined || typeof name !== 'string') return undefined;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
