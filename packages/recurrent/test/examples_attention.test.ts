/**
 * Runs examples/attention.js as a user would (`node examples/attention.js`, against the built packages: run
 * `npm run build` first; `npm test` does) and asserts what it prints: an LSTM encoder–decoder with
 * `layers.attention` over the encoder outputs translates held-out dates in five formats into ISO dates, decoded
 * greedily, and the printed attention matrix is a distribution over the input characters at every output step.
 * (Separate from examples.test.ts so this work merges without touching that file.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './browser/harness';
import { EXAMPLE_TIMEOUT as TIMEOUT, numberAfter, requireBuild, runExample } from './helpers/run_example';

beforeAll(requireBuild);

test('the attention example has its npm script', () => {
  const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
  expect(scripts['example:attention']).toBe('node examples/attention.js');
});

test(
  'attention: an LSTM encoder-decoder with attention translates held-out dates to ISO; attention rows sum to 1',
  async () => {
    const out = await runExample('attention.js');
    expect(numberAfter(out, 'epoch  1  loss')).toBeGreaterThan(0.3); // untrained: far from translating
    expect(numberAfter(out, 'held-out sequence accuracy:')).toBeGreaterThan(0.9);
    expect(numberAfter(out, 'held-out character accuracy:')).toBeGreaterThan(0.97);
    // Six examples: source date -> decoded ISO date.
    expect(out.match(/^.{1,12}\s+-> \d{4}-\d\d-\d\d {2}(ok|\(want \d{4}-\d\d-\d\d\))$/gm)).toHaveLength(6);

    // The attention matrix: a header naming the example, then one row per output character ('YYYY-MM-DD'), each
    // with 12 weights (one per input character) that sum to 1 up to the 2-decimal rounding of the print.
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('attention weights for '));
    expect(at).toBeGreaterThan(0);
    const decodedIso = lines[at].match(/-> '(\d{4}-\d\d-\d\d)'/);
    expect(decodedIso).not.toBeNull();
    const rows = lines.slice(at + 2, at + 12);
    expect(rows.map((r) => r.trim()[0]).join('')).toBe(decodedIso![1]);
    let diagonalish = 0;
    for (const row of rows) {
      const m = row.match(/^ {2}[0-9-] ((?:\d\.\d\d ?){12})$/);
      if (!m) throw new Error(`not an attention row: ${JSON.stringify(row)}\n${out}`);
      const w = m[1].trim().split(' ').map(Number);
      expect(w).toHaveLength(12);
      for (const v of w) expect(v).toBeGreaterThanOrEqual(0);
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(0.07);
      if (Math.max(...w) > 0.5) diagonalish++;
    }
    // A trained model attends sharply: most output characters put more than half their weight on one input one.
    expect(diagonalish).toBeGreaterThanOrEqual(5);
  },
  TIMEOUT,
);
