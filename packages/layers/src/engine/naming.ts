/** Default layer names as Keras makes them: 'lstm', 'lstm_1', ... from the snake_case class name. */

const counters = new Map<string, number>();

/** 'SimpleRNN' → 'simple_rnn', 'GRUCell' → 'gru_cell', 'Dense' → 'dense' (Keras's to_snake_case). */
export function toSnakeCase(name: string): string {
  // tfjs's rule: digits stay with the word before them ('Conv1D' → 'conv1d', 'GlobalMaxPooling1D' → 'global_max_pooling1d').
  const s = name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return s.startsWith('_') ? `private${s}` : s;
}

/** The next unique name for `prefix`: the prefix itself the first time, then `prefix_1`, `prefix_2`, ... */
export function uniqueLayerName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Resets the per-prefix counters (for tests: the next Dense is 'dense' again). */
export function resetNameCounters(): void {
  counters.clear();
}

const nameScopes: string[] = [];

/**
 * Runs `fn` with `scope` pushed on the weight-name scope stack, as tfjs's `nameScope`: weights
 * created inside are named `${outer}/${scope}/<weight>` instead of `${layer.name}/<weight>`.
 * An RNN layer builds its cell in its own scope ('lstm/kernel', no cell segment), a stacked cell
 * set in 'RNNCell_k', a wrapper its inner layer ('time_distributed/kernel').
 */
export function withNameScope<T>(scope: string, fn: () => T): T {
  nameScopes.push(scope);
  try {
    return fn();
  } finally {
    nameScopes.pop();
  }
}

/** The prefix for a weight created now by `layerName`: the active scopes, else the layer's own name. */
export function weightNamePrefix(layerName: string): string {
  return nameScopes.length > 0 ? nameScopes.join('/') : layerName;
}
