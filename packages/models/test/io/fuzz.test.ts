/**
 * Fuzzing the format layer: thousands of mutated model.json texts and weight buffers/specs must
 * give either a result or the library's own Error (a plain Error whose message starts with the
 * function name and names the field/weight) — never a RangeError from an allocation, a TypeError
 * from deep inside, or a hang (jest's test timeout is the guard: no wall-clock limit per case, which
 * would flake on a loaded machine). Seeded, so failures reproduce.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { LoadError, NotImplementedError, ValueError } from '@recurrent/core';
import { convertPythonicToTs, io, parseModelJSON } from '@recurrent/models';
import type { WeightsManifestEntry } from '@recurrent/models';
import { assembleShards } from '../../src/io/shards';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'io');
const modelText = fs.readFileSync(path.join(FIXTURES, 'tfjs_bidirectional_lstm.model.json'), 'utf8');
const weightBytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'tfjs_bidirectional_lstm.weights.bin')));
const baseSpecs: WeightsManifestEntry[] = io.getWeightSpecs(JSON.parse(modelText).weightsManifest);

/** Runs `f`; returns 'ok' or the error, after checking it is one of ours. */
const outcomes = { ok: 0, error: 0 };
/** The library's own error classes: a plain Error or one of the typed errors (core/src/errors.ts). */
const OWN_ERRORS: unknown[] = [Error, ValueError, NotImplementedError, LoadError];

function expectOwnErrorOrResult(f: () => unknown, prefixes: RegExp, context: () => string): void {
  try {
    f();
    outcomes.ok++;
  } catch (e) {
    outcomes.error++;
    const err = e as Error;
    const ok = err instanceof Error && OWN_ERRORS.includes(err.constructor) && prefixes.test(err.message);
    if (!ok) {
      throw new Error(`unexpected ${err?.constructor?.name}: ${err?.message}\n--- case: ${context().slice(0, 2000)}`);
    }
  }
}

/** The whole load pipeline after the bytes arrive: parse, assemble shards, decode, convert the topology. */
function loadPipeline(text: string, shard: ArrayBuffer): void {
  const json = parseModelJSON(text);
  convertPythonicToTs(json.modelTopology);
  if (json.weightsManifest === undefined) return;
  const shards = json.weightsManifest.map((g, i) => g.paths.map(() => (i === 0 ? shard : new ArrayBuffer(0))));
  const [specs, data] = assembleShards('load', json.weightsManifest, shards, (g, p) => `group${g}/${p}`);
  io.decodeWeights(data, specs);
}

const PIPELINE_ERRORS = /^(parseModelJSON|convertPythonicToTs|load|decodeWeights): /;

const WEIRD_VALUES = [
  '-1',
  '0',
  '1e10',
  '4294967296',
  '2147483648',
  '0.5',
  '-0',
  '1e308',
  '"4"',
  'null',
  'true',
  '[]',
  '{}',
  'NaN',
  '"float64"',
  '"string"',
  '"uint8"',
  '"__proto__"',
  '[1,2]',
  '""',
];

/** A text mutation: bit flips, truncation, deletion, duplication, insertion, or a value swap. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('flip'), pos: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('truncate'), pos: fc.nat() }),
  fc.record({ kind: fc.constant('delete'), pos: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate'), pos: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('insert'), pos: fc.nat(), str: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('value'), pos: fc.nat(), value: fc.constantFrom(...WEIRD_VALUES) }),
);
type TextMutation = { kind: string; pos: number; bit?: number; len?: number; str?: string; value?: string };

function mutateText(text: string, muts: TextMutation[]): string {
  let s = text;
  for (const m of muts) {
    const pos = m.pos % Math.max(1, s.length);
    switch (m.kind) {
      case 'flip':
        s = s.slice(0, pos) + String.fromCharCode(s.charCodeAt(pos) ^ (1 << m.bit!)) + s.slice(pos + 1);
        break;
      case 'truncate':
        s = s.slice(0, pos);
        break;
      case 'delete':
        s = s.slice(0, pos) + s.slice(pos + m.len!);
        break;
      case 'duplicate':
        s = s.slice(0, pos) + s.slice(pos, pos + m.len!) + s.slice(pos);
        break;
      case 'insert':
        s = s.slice(0, pos) + m.str + s.slice(pos);
        break;
      default: {
        // Replace the JSON scalar (number/string/literal) nearest after `pos` with a weird value.
        const re = /-?\d+(\.\d+)?(e[+-]?\d+)?|"[^"]*"|true|false|null/g;
        re.lastIndex = pos;
        const hit = re.exec(s) ?? ((re.lastIndex = 0), re.exec(s));
        if (hit) s = s.slice(0, hit.index) + m.value + s.slice(hit.index + hit[0].length);
      }
    }
  }
  return s;
}

describe('fuzz harness', () => {
  it('flags foreign errors (a TypeError, an Error without the function prefix)', () => {
    expect(() =>
      expectOwnErrorOrResult(
        () => (null as unknown as { x: number }).x,
        /^decodeWeights: /,
        () => '',
      ),
    ).toThrow(/unexpected TypeError/);
    expect(() =>
      expectOwnErrorOrResult(
        () => {
          throw new Error('boom');
        },
        /^decodeWeights: /,
        () => '',
      ),
    ).toThrow(/unexpected Error: boom/);
  });
});

describe('fuzz: mutated model.json', () => {
  afterAll(() => {
    // Both paths were exercised: some mutations still load, most are refused.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.error).toBeGreaterThan(1000);
  });

  it('the unmutated fixture loads', () => {
    expect(() => loadPipeline(modelText, weightBytes.slice().buffer)).not.toThrow();
  });

  it("3000 mutated texts give results or the library's own errors", () => {
    fc.assert(
      fc.property(fc.array(textMutation, { minLength: 1, maxLength: 4 }), (muts) => {
        const text = mutateText(modelText, muts as TextMutation[]);
        expectOwnErrorOrResult(
          () => loadPipeline(text, weightBytes.slice().buffer),
          PIPELINE_ERRORS,
          () => JSON.stringify(muts),
        );
      }),
      { numRuns: 3000, seed: 20240605 },
    );
  });

  it('1000 structural edits of the parsed manifest (shapes, dtypes, quantization, paths) are caught', () => {
    const weird = fc.constantFrom<unknown>(
      -1,
      0,
      1.5,
      2 ** 31,
      2 ** 53,
      1e308,
      NaN,
      Infinity,
      '3',
      null,
      [],
      {},
      [2, -2],
      'float16',
      'uint8',
      'bool',
      'int32',
      'complex64',
    );
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom('shape', 'dim', 'dtype', 'quantization', 'name', 'paths', 'weights', 'extra-spec'),
        weird,
        (which, field, value) => {
          const json = JSON.parse(modelText);
          const specs = json.weightsManifest[0].weights;
          const spec = specs[which % specs.length];
          if (field === 'shape') spec.shape = value;
          else if (field === 'dim') spec.shape[which % Math.max(1, spec.shape.length)] = value;
          else if (field === 'dtype') spec.dtype = value;
          else if (field === 'quantization') spec.quantization = { dtype: value, scale: which % 3 === 0 ? value : 0.1, min: 0 };
          else if (field === 'name') spec.name = value;
          else if (field === 'paths') json.weightsManifest[0].paths = value;
          else if (field === 'weights') json.weightsManifest[0].weights = value;
          else specs.push({ name: `extra${which}`, shape: [which % 7, 3], dtype: value });
          const text = JSON.stringify(json);
          expectOwnErrorOrResult(
            () => loadPipeline(text, weightBytes.slice().buffer),
            PIPELINE_ERRORS,
            () => `${field}=${String(value)} @${which}`,
          );
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
  });
});

describe('fuzz: mutated weight buffers and specs', () => {
  const specEdit = fc.oneof(
    fc.record({ kind: fc.constant('shape'), i: fc.nat(), dims: fc.array(fc.integer({ min: -3, max: 70000 }), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('dtype'), i: fc.nat(), dtype: fc.constantFrom('float32', 'int32', 'bool', 'float16', 'uint8', 'x') }),
    fc.record({
      kind: fc.constant('quant'),
      i: fc.nat(),
      q: fc.constantFrom('uint8', 'uint16', 'float16', 'int8'),
      scale: fc.double({ noNaN: false }),
      min: fc.double(),
    }),
  );

  it('3000 bit-flipped / truncated / extended buffers with edited specs decode or give decodeWeights errors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 8 }), // bit flips
        fc.oneof(fc.constant(0), fc.integer({ min: -200, max: 200 })), // truncate (<0) or extend (>0)
        fc.array(specEdit, { maxLength: 2 }),
        fc.integer({ min: 1, max: 4 }), // shards
        (flips, resize, edits, nShards) => {
          const bytes = new Uint8Array(Math.max(0, weightBytes.length + resize));
          bytes.set(weightBytes.subarray(0, Math.min(weightBytes.length, bytes.length)));
          for (const f of flips) if (bytes.length > 0) bytes[f % bytes.length] ^= 1 << (f % 8);
          const specs = baseSpecs.map((s) => ({ ...s, shape: s.shape.slice() })) as WeightsManifestEntry[];
          for (const e of edits as Array<{
            kind: string;
            i: number;
            dims?: number[];
            dtype?: string;
            q?: string;
            scale?: number;
            min?: number;
          }>) {
            const s = specs[e.i % specs.length];
            if (e.kind === 'shape') s.shape = e.dims!;
            else if (e.kind === 'dtype') (s as { dtype: string }).dtype = e.dtype!;
            else s.quantization = { dtype: e.q as 'uint8', scale: e.scale, min: e.min };
          }
          const cut = Math.ceil(bytes.length / nShards);
          const shards: ArrayBuffer[] = [];
          for (let k = 0; k < nShards; k++) shards.push(bytes.slice(k * cut, (k + 1) * cut).buffer);
          expectOwnErrorOrResult(
            () => {
              const out = io.decodeWeights(shards, specs);
              for (const s of specs) if (out[s.name].size !== s.shape.reduce((a, b) => a * b, 1)) throw new Error('size mismatch');
            },
            /^decodeWeights: /,
            () => JSON.stringify({ flips, resize, edits, nShards }),
          );
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });
});
