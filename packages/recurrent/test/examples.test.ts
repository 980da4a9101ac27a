/**
 * Runs every Node example in examples/ as a user would (`node examples/<name>.js`, each in its own
 * process, against the built packages: `npm test` builds first) and asserts on what it prints:
 * what the model learned, not just that it ran. Each example is seeded, so its numbers are stable
 * for a given build; the thresholds leave room for numerical changes in the library.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from './browser/harness';
import { EXAMPLE_TIMEOUT, numberAfter, runExample } from './helpers/run_example';

const examplesDir = path.join(repoRoot, 'examples');
const builtEntry = path.join(repoRoot, 'packages/recurrent/dist/index.cjs.js');
const built = fs.existsSync(builtEntry);
const TIMEOUT = EXAMPLE_TIMEOUT;

beforeAll(() => {
  if (!built) throw new Error(`${builtEntry} is missing: run \`npm run build\` first (npm test does).`);
});

test('every example has its npm script', () => {
  const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts;
  const expected: Record<string, string> = {
    'example:classify': 'sequence_classification.js',
    'example:forecast': 'forecasting.js',
    'example:text': 'text_generation.js',
    'example:seq2seq': 'seq2seq.js',
    'example:streaming': 'streaming.js',
    'example:save-load': 'save_load.js',
    'example:browser': 'serve.js',
  };
  for (const [name, file] of Object.entries(expected)) {
    expect([name, scripts[name]]).toEqual([name, `node examples/${file}`]);
    expect(fs.existsSync(path.join(examplesDir, file))).toBe(true);
  }
});

test(
  'sequence_classification: the LSTM remembers the flagged value (held-out accuracy > 0.9)',
  async () => {
    const out = await runExample('sequence_classification.js');
    expect(numberAfter(out, 'held-out accuracy:')).toBeGreaterThan(0.9);
    expect(numberAfter(out, 'held-out loss:')).toBeLessThan(0.3);
    expect(out).toMatch(/sample 4: flagged step/);
  },
  TIMEOUT,
);

test(
  'forecasting: the GRU forecasts 12 steps far better than repeating the last value',
  async () => {
    const out = await runExample('forecasting.js');
    const mse = numberAfter(out, 'test mse (all 12 horizons):');
    const naive = numberAfter(out, 'naive:');
    expect(mse).toBeLessThan(0.05); // the noise alone gives 0.01
    expect(mse).toBeLessThan(naive / 10);
    expect(out).toMatch(/forecast from t = 1000:\n.*\n(\s+\d+\s+-?\d\.\d{3}\s+-?\d\.\d{3}\s+-?\d\.\d{3}\n){12}/);
  },
  TIMEOUT,
);

test(
  'text_generation: the loss falls well below uniform guessing, and both temperatures produce text',
  async () => {
    const out = await runExample('text_generation.js');
    const first = numberAfter(out, 'first loss:');
    const final = numberAfter(out, 'final loss:');
    const uniform = numberAfter(out, 'uniform guessing:');
    expect(final).toBeLessThan(first);
    expect(final).toBeLessThan(uniform - 1.5);
    for (const t of ['0.4', '1']) {
      const m = out.match(new RegExp(`--- temperature ${t} ---\\n(shall i compare thee to [\\s\\S]{200,})`));
      expect(m).not.toBeNull();
    }
  },
  TIMEOUT,
);

test(
  'seq2seq: the encoder-decoder reverses digit strings (sequence accuracy > 0.7)',
  async () => {
    const out = await runExample('seq2seq.js');
    expect(numberAfter(out, 'held-out digit accuracy:')).toBeGreaterThan(0.9);
    expect(numberAfter(out, 'held-out sequence accuracy:')).toBeGreaterThan(0.7);
    expect(out.match(/^\d{5} -> \d{5}/gm)).toHaveLength(6);
  },
  TIMEOUT,
);

test(
  'streaming: one step at a time equals the whole sequence (< 1e-5); forgetting resetStates changes it',
  async () => {
    const out = await runExample('streaming.js');
    expect(numberAfter(out, 'max difference (step by step vs whole sequence):')).toBeLessThan(1e-5);
    expect(numberAfter(out, 'stream 1 differs by up to')).toBeGreaterThan(1e-2);
    expect(out.match(/^stream \d: 60 readings one at a time/gm)).toHaveLength(3);
  },
  TIMEOUT,
);

test(
  'save_load: a fresh process loads the saved model and predicts the same numbers (< 1e-6)',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-example-test-'));
    try {
      const out = await runExample('save_load.js', dir);
      expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
      expect(numberAfter(out, 'max difference:')).toBeLessThan(1e-6);
      const before = out
        .match(/predicted before saving:\s+(.*)/)![1]
        .trim()
        .split(/\s+/)
        .map(Number);
      const after = out
        .match(/predicted after loading:\s+([-0-9. ]+)/)![1]
        .trim()
        .split(/\s+/)
        .map(Number);
      expect(before).toHaveLength(5);
      expect(after).toEqual(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  TIMEOUT,
);
