/** Renders tensor values the way tfjs's `print()` does: a `Tensor` header, then nested, aligned rows. */
import type { DataType, TypedArray } from './dtype';

const MAX_PER_AXIS = 20;
const EDGE = 3;

function formatValue(v: number, dtype: DataType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return String(parseFloat(v.toFixed(7)));
}

/** Pretty-prints `values` of `shape`; long axes are elided with `...` as tfjs does. */
export function formatTensor(values: TypedArray, shape: readonly number[], dtype: DataType, verbose = false): string {
  const strings: string[] = [];
  for (let i = 0; i < values.length; i++) strings.push(formatValue(values[i], dtype));
  // As tfjs: rank 1 is unpadded; higher ranks pad each column of the last axis to its widest value.
  const cols = shape.length > 0 ? shape[shape.length - 1] : 1;
  const colWidth = new Array<number>(cols).fill(0);
  if (shape.length > 1) strings.forEach((str, i) => (colWidth[i % cols] = Math.max(colWidth[i % cols], str.length)));
  const pad = (str: string, col: number) => str.padEnd(colWidth[col]);
  const lines: string[] = [];
  const header = verbose ? `Tensor\n  dtype: ${dtype}\n  rank: ${shape.length}\n  shape: [${shape.join(',')}]\n  values:` : 'Tensor';

  if (shape.length === 0) return `${header}\n    ${strings[0]}`;

  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }

  const render = (axis: number, offset: number, indent: string): string[] => {
    const n = shape[axis];
    const idx: (number | null)[] = [];
    if (n > MAX_PER_AXIS) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else {
      for (let i = 0; i < n; i++) idx.push(i);
    }
    if (axis === shape.length - 1) {
      const parts = idx.map((i) => (i === null ? '...' : pad(strings[offset + i], i)));
      return [`[${parts.join(', ')}]`];
    }
    const rows: string[] = [];
    idx.forEach((i, k) => {
      const sub = i === null ? ['...'] : render(axis + 1, offset + i * strides[axis], indent + ' ');
      const last = k === idx.length - 1;
      sub.forEach((line, j) => {
        let text = (k === 0 && j === 0 ? '[' : ' ') + line;
        if (j === sub.length - 1) text += last ? ']' : ',';
        rows.push(text);
      });
      if (!last && axis < shape.length - 2) rows.push('');
    });
    return rows;
  };
  for (const line of render(0, 0, '')) lines.push(line === '' ? '' : `    ${line}`);
  return `${header}\n${lines.join('\n')}`;
}
