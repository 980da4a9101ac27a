import { ValueError } from '@recurrent/core';
/** `model.summary()`: tfjs's table for sequential models, character for character. */

/** One row of the table. */
export interface SummaryRow {
  /** `name (ClassName)`. */
  name: string;
  /** Input shape(s) as tfjs shows them (`[[null,3]]`), or 'multiple'. */
  inputShape: string;
  /** Output shape (`[null,4]`), or 'multiple'. */
  outputShape: string;
  params: number;
}

/** Formats one row: each field is cut or padded to end at its position (tfjs's `printRow`). */
export function formatSummaryRow(fields: string[], positions: number[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line = line.slice(0, line.length - 1) + ' ';
    line += fields[i];
    line = line.slice(0, positions[i]);
    line += ' '.repeat(Math.max(0, positions[i] - line.length));
  }
  return line;
}

/**
 * The summary lines of a sequential model, as tfjs-layers' `printSummary` (line length 90, columns
 * at 0.32, 0.61, 0.89, 1 of it; positions ≤ 1 are fractions of `lineLength`).
 */
export function summaryLines(
  rows: SummaryRow[],
  trainableParams: number,
  nonTrainableParams: number,
  lineLength?: number,
  positions?: number[],
): string[] {
  const length = lineLength || 90;
  let pos = positions || [0.32, 0.61, 0.89, 1];
  if (pos.length !== 4) {
    throw new ValueError(`summary: positions must have 4 entries (layer, input shape, output shape, params), received ${pos.length}.`);
  }
  if (pos[pos.length - 1] <= 1) pos = pos.map((p) => Math.floor(length * p));
  const lines: string[] = [];
  lines.push('_'.repeat(length));
  lines.push(formatSummaryRow(['Layer (type)', 'Input Shape', 'Output shape', 'Param #'], pos));
  lines.push('='.repeat(length));
  rows.forEach((r, i) => {
    lines.push(formatSummaryRow([r.name, r.inputShape, r.outputShape, String(r.params)], pos));
    lines.push((i === rows.length - 1 ? '=' : '_').repeat(length));
  });
  lines.push(`Total params: ${trainableParams + nonTrainableParams}`);
  lines.push(`Trainable params: ${trainableParams}`);
  lines.push(`Non-trainable params: ${nonTrainableParams}`);
  lines.push('_'.repeat(length));
  return lines;
}
