/**
 * Runs examples/ctc_ocr.js as a user would (`node examples/ctc_ocr.js`, against the built packages: run
 * `npm run build` first; `npm test` does) and asserts what it prints: a Bidirectional LSTM trained with the 'ctc'
 * loss reads held-out noisy digit strings with a low character error rate, decoded greedily and by beam search.
 * (Separate from examples.test.ts so the CTC work merges without touching that file.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './browser/harness';
import { EXAMPLE_TIMEOUT as TIMEOUT, numberAfter, requireBuild, runExample } from './helpers/run_example';

beforeAll(requireBuild);

test('the ctc_ocr example has its npm script', () => {
  const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
  expect(scripts['example:ctc']).toBe('node examples/ctc_ocr.js');
});

test(
  'ctc_ocr: a BiLSTM trained with CTC reads noisy digit strings (greedy and beam-search CER < 0.1)',
  async () => {
    const out = await runExample('ctc_ocr.js');
    const greedy = numberAfter(out, 'greedy CER:');
    const beam = numberAfter(out, 'beam search CER:');
    expect(greedy).toBeLessThan(0.1);
    expect(beam).toBeLessThan(0.1);
    expect(numberAfter(out, 'held-out ctc loss:')).toBeLessThan(1.5);
    const first = numberAfter(out, 'epoch  1  ctc loss');
    expect(first).toBeGreaterThan(5); // untrained: far from reading anything
    expect(numberAfter(out, 'strings read exactly (beam search):')).toBeGreaterThan(200);
    expect(out.match(/^\d{3,6}\s+-> greedy \d*\s+beam \d*\s+\(log p -?\d+\.\d{3}\)$/gm)).toHaveLength(6);
  },
  TIMEOUT,
);
