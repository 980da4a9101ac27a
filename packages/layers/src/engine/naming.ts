/** Default layer names as Keras makes them: 'lstm', 'lstm_1', ... from the snake_case class name. */

const counters = new Map<string, number>();

/** 'SimpleRNN' → 'simple_rnn', 'GRUCell' → 'gru_cell', 'Dense' → 'dense' (Keras's to_snake_case). */
export function toSnakeCase(name: string): string {
  const s = name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
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
