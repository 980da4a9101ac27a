/**
 * Fuzzing the whole model load: mutated model.json texts, structural edits of the topology (values, deleted keys,
 * swapped class names, duplicated layers) and mutated weight bytes go through loadLayersModel. Each case either
 * loads — and then the model predicts, or refuses the input with the library's own Error — or fails with an Error
 * whose message starts 'loadLayersModel: '. Never a TypeError/RangeError from deep inside, never a hang (jest's
 * test timeout is the guard: no wall-clock limit per case, which would flake on a loaded machine), and a
 * failed load leaves no variables behind. Seeded, so failures reproduce.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { LoadError, NotImplementedError, registeredTrainableVariables, Tensor, tensor, ValueError } from '@recurrent/core';
import { layers, registeredClassNames, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, parseModelJSON, sequential } from '@recurrent/models';
import type { IOHandler } from '@recurrent/models';
import { saveToMemory } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'io');
/** The library's own error classes: a plain Error or one of the typed errors (core/src/errors.ts). */
const OWN_ERRORS: unknown[] = [Error, ValueError, NotImplementedError, LoadError];

interface Base {
  text: string;
  data: ArrayBuffer;
}
const bases: Base[] = [];
const outcomes = { loaded: 0, refused: 0, predicted: 0, predictRefused: 0 };

beforeAll(async () => {
  bases.push({
    text: fs.readFileSync(path.join(FIXTURES, 'tfjs_bidirectional_lstm.model.json'), 'utf8'),
    data: new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'tfjs_bidirectional_lstm.weights.bin'))).slice().buffer,
  });
  resetNameCounters();
  const m = sequential({
    layers: [
      layers.masking({ inputShape: [4, 3], name: 'masking' }),
      layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2 })], returnSequences: true, name: 'rnn' }),
      layers.timeDistributed({ layer: layers.dense({ units: 2, name: 'dense' }), name: 'time_distributed' }),
      layers.simpleRNN({ units: 2, name: 'simple_rnn' }),
    ],
  });
  const a = await saveToMemory(m);
  m.dispose();
  bases.push({
    text: JSON.stringify({
      modelTopology: a.modelTopology,
      format: a.format,
      generatedBy: a.generatedBy,
      weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }],
    }),
    data: a.weightData as ArrayBuffer,
  });
});

/** A load handler reading model.json text and one weights buffer, as the file/http handlers do. */
function handlerFor(text: string, data: ArrayBuffer): IOHandler {
  return {
    load: async () => {
      const json = parseModelJSON(text);
      const specs = json.weightsManifest ? io.getWeightSpecs(json.weightsManifest) : undefined;
      return io.getModelArtifactsForJSONSync(json, specs, specs ? data : undefined);
    },
  };
}

function isOwnError(e: unknown, prefix: RegExp): boolean {
  return e instanceof Error && OWN_ERRORS.includes(e.constructor) && prefix.test(e.message);
}

/** An input for the loaded model: its input shape with batch 2, token ids when it starts with an Embedding. */
function inputFor(model: any): Tensor {
  const shape = model.inputShape.map((d: number | null) => (d === null ? 2 : d));
  const n = shape.reduce((a: number, b: number) => a * b, 1);
  if (n > 1e5) throw new Error('input too large');
  const ints = model.layers[0].getClassName() === 'Embedding';
  return tensor(
    Array.from({ length: n }, (_, i) => (ints ? i % 3 : Math.sin(i))),
    shape,
    ints ? 'int32' : 'float32',
  );
}

async function runCase(text: string, data: ArrayBuffer, strict: boolean, context: () => string): Promise<void> {
  const before = registeredTrainableVariables().length;
  let model: any;
  try {
    model = await loadLayersModel(handlerFor(text, data), { strict });
  } catch (e) {
    outcomes.refused++;
    if (!isOwnError(e, /^loadLayersModel: /)) {
      throw new Error(`unexpected ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n--- case: ${context().slice(0, 1500)}`);
    }
    const after = registeredTrainableVariables().length;
    if (after > before) throw new Error(`a failed load left ${after - before} variables registered\n--- case: ${context().slice(0, 1500)}`);
    return;
  }
  outcomes.loaded++;
  try {
    try {
      const y = model.predict(inputFor(model));
      outcomes.predicted++;
      expect(y).toBeInstanceOf(Tensor);
    } catch (e) {
      outcomes.predictRefused++;
      // The loaded model may not accept our guessed input; it must say so with a plain Error.
      if (!(e instanceof Error && OWN_ERRORS.includes(e.constructor))) {
        throw new Error(
          `predict after load: unexpected ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n--- case: ${context().slice(0, 1500)}`,
        );
      }
    }
  } finally {
    model.dispose();
  }
}

const WEIRD = [
  -1,
  0,
  1.5,
  2 ** 31,
  1e10,
  1e308,
  NaN,
  '3',
  '',
  'relu',
  'hard_sigmoid',
  null,
  true,
  [],
  {},
  [2, -2],
  [null],
  'float16',
  '__proto__x',
];

// ---------------------------------------------------------------------------------------------

/** All paths into a JSON value (arrays and objects), for structural edits. */
function paths(x: any, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(x)) x.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (x !== null && typeof x === 'object') for (const k of Object.keys(x)) paths(x[k], [...prefix, k], out);
  return out;
}

function editAt(root: any, p: (string | number)[], action: string, value: unknown, className: string): void {
  if (p.length === 0) return;
  let parent = root;
  for (const k of p.slice(0, -1)) parent = parent[k];
  const key = p[p.length - 1];
  switch (action) {
    case 'replace':
      parent[key] = value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, JSON.parse(JSON.stringify(parent[key as number])));
      else parent[`${String(key)}_2`] = parent[key as number];
      break;
    default:
      if (key === 'class_name') parent[key] = className;
      else parent[key] = value;
  }
}

describe('fuzz: whole-model loads', () => {
  afterAll(() => {
    // Both outcomes were exercised.
    expect(outcomes.loaded).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(500);
    expect(outcomes.predicted).toBeGreaterThan(50);
  });

  it('the unmutated bases load and predict', async () => {
    for (const b of bases) await runCase(b.text, b.data, true, () => 'base');
    expect(outcomes.predicted).toBe(2);
  });

  it('800 structural edits of model.json (values, deletions, duplicates, class names) through strict and non-strict loads', async () => {
    const classNames = [...registeredClassNames('layer'), 'Functional', 'Nope'];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'delete', 'duplicate', 'class'), fc.constantFrom(...WEIRD), fc.nat()), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.boolean(),
        async (which, edits, strict) => {
          const b = bases[which];
          const json = JSON.parse(b.text);
          for (const [pi, action, value, ci] of edits) {
            const all = paths(json.modelTopology, ['modelTopology']).concat(paths(json.weightsManifest, ['weightsManifest']));
            editAt(json, all[pi % all.length], action, value, classNames[ci % classNames.length]);
          }
          const text = JSON.stringify(json);
          await runCase(text, b.data, strict, () => `${which} ${strict} ${JSON.stringify(edits)}`);
        },
      ),
      { numRuns: 800, seed: 424242 },
    );
  }, 120_000);

  it('400 text mutations of model.json and 300 weight-byte mutations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1),
        fc.nat(),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('flip', 'truncate', 'digit'),
        async (which, pos, bit, kind) => {
          const b = bases[which];
          let s = b.text;
          const p = pos % s.length;
          if (kind === 'flip') s = s.slice(0, p) + String.fromCharCode(s.charCodeAt(p) ^ (1 << bit)) + s.slice(p + 1);
          else if (kind === 'truncate') s = s.slice(0, p);
          else {
            const re = /\d+/g;
            re.lastIndex = p;
            const hit = re.exec(s);
            if (hit) s = s.slice(0, hit.index) + String(Number(hit[0]) * (bit + 2) + bit) + s.slice(hit.index + hit[0].length);
          }
          await runCase(s, b.data, bit % 2 === 0, () => `${which} ${kind} @${p} bit ${bit}`);
        },
      ),
      { numRuns: 400, seed: 99 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(1), fc.nat(), fc.nat(255), fc.constantFrom('set', 'truncate', 'extend'), async (which, pos, byte, kind) => {
        const b = bases[which];
        let bytes = new Uint8Array(b.data.slice(0));
        const p = pos % bytes.length;
        if (kind === 'set') bytes[p] = byte;
        else if (kind === 'truncate') bytes = bytes.slice(0, p);
        else bytes = new Uint8Array([...bytes, byte]);
        await runCase(b.text, bytes.buffer, true, () => `${which} ${kind} @${p} ${byte}`);
      }),
      { numRuns: 300, seed: 5 },
    );
  }, 120_000);
});
