/** Beam search over a step model: keeps the `beamWidth` most likely token prefixes at every step. */
import { Tensor, makeTensor } from '../tensor';
import { formatShape } from '../shape';
import { gather } from './gather';
import { ValueError } from '../errors';

/** What a step function returns: next-token log-probabilities [beams, vocab] and the next state. */
export interface BeamStepResult<S> {
  /** log p(next token | prefix) per beam, float32 [beams, vocab] (log-softmax output, or log of probabilities). */
  logProbs: Tensor;
  /** The state after the step, one row per beam (see `reorderState`). */
  state: S;
}

/** Maps the last token of each beam (int32 [beams]) and the state to log-probabilities and the next state. */
export type BeamStepFunction<S> = (tokens: Tensor, state: S) => BeamStepResult<S>;

/** Options of {@link beamSearch}. */
export interface BeamSearchOptions<S> {
  /** Number of prefixes kept per step, and of sequences returned (default 4). */
  beamWidth?: number;
  /** Largest number of generated tokens (the end token counts), default 20. */
  maxLength: number;
  /** Token fed at the first step. */
  startToken: number;
  /** Token that ends a sequence (optional: without it every sequence runs to `maxLength`). */
  endToken?: number;
  /**
   * Ranking score: false (default) the total log-probability; true the log-probability divided by the
   * length; a number α divides by length^α.
   */
  lengthNormalization?: boolean | number;
  /**
   * Keeps rows `indices` (int32 [newBeams], indices into the current beams) of a state. The default
   * handles plain data: a Tensor is gathered along axis 0; a typed array of length beams·k is read as
   * [beams, k] rows; arrays and objects are walked, and a numeric `batch` field equal to the beam count
   * is updated (so `model.step`'s plain-data state works as is).
   */
  reorderState?: (state: S, indices: Int32Array) => S;
}

/** One decoded sequence. */
export interface BeamHypothesis {
  /** Generated tokens (the start token excluded; the end token included when reached). */
  tokens: number[];
  /** Sum of the log-probabilities of the tokens. */
  logProb: number;
  /** The ranking score (`logProb`, or length-normalized). */
  score: number;
  /** Whether the sequence ended with `endToken` (false: it reached `maxLength`). */
  finished: boolean;
}

type TypedArrayLike = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array;

function isTypedArray(x: unknown): x is TypedArrayLike {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * The default `reorderState`: keeps rows `indices` of every per-beam part of a plain-data state
 * whose batch (beam count) is `beams` (see {@link BeamSearchOptions.reorderState}).
 */
export function gatherStateRows<S>(state: S, indices: Int32Array, beams: number): S {
  const walk = (x: unknown, path: string): unknown => {
    if (x instanceof Tensor) {
      if (x.rank === 0 || x.shape[0] !== beams) {
        throw new ValueError(
          `beamSearch: state tensor at '${path}' must have the beam count ${beams} as its first dimension, received shape ${formatShape(x.shape)}.`,
        );
      }
      return gather(x, makeTensor(Int32Array.from(indices), [indices.length], 'int32'), 0);
    }
    if (isTypedArray(x)) {
      if (x.length % beams !== 0) {
        throw new ValueError(
          `beamSearch: state array at '${path}' has length ${x.length}, not a multiple of the beam count ${beams}; pass reorderState.`,
        );
      }
      const row = x.length / beams;
      const Ctor = x.constructor as new (n: number) => TypedArrayLike;
      const out = new Ctor(indices.length * row);
      for (let i = 0; i < indices.length; i++) out.set(x.subarray(indices[i] * row, (indices[i] + 1) * row), i * row);
      return out;
    }
    if (Array.isArray(x)) return x.map((v, i) => walk(v, `${path}[${i}]`));
    if (x !== null && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
        out[k] = k === 'batch' && v === beams ? indices.length : walk(v, path ? `${path}.${k}` : k);
      }
      return out;
    }
    return x;
  };
  return walk(state, '') as S;
}

interface Beam {
  tokens: number[];
  logProb: number;
}

/**
 * Beam search decoding with a step model. `stepFn(tokens, state)` gets the last token of every live
 * beam (int32 [beams]) and the state (one row per beam), and returns `{logProbs [beams, vocab], state}`.
 * Starts from one beam (`startToken`, `initialState` with one row); at each step every beam is extended
 * by every token, the best `beamWidth` extensions are kept, and those ending in `endToken` are set
 * aside as finished. Returns up to `beamWidth` hypotheses, best score first.
 *
 * ```js
 * const s0 = model.initState(1);
 * const best = beamSearch((tokens, s) => {
 *   const [y, next] = model.step(oneHot(tokens, vocab).cast('float32'), s);   // y: softmax [beams, vocab]
 *   return {logProbs: log(y), state: next};
 * }, s0, {beamWidth: 5, maxLength: 30, startToken: 0, endToken: 1})[0].tokens;
 * ```
 */
export function beamSearch<S>(stepFn: BeamStepFunction<S>, initialState: S, options: BeamSearchOptions<S>): BeamHypothesis[] {
  if (typeof stepFn !== 'function') throw new ValueError(`beamSearch: stepFn must be a function, received ${typeof stepFn}.`);
  if (!options || typeof options !== 'object') throw new ValueError('beamSearch: options {maxLength, startToken, ...} are required.');
  const beamWidth = options.beamWidth ?? 4;
  const { maxLength, startToken, endToken } = options;
  if (!Number.isInteger(beamWidth) || beamWidth < 1)
    throw new ValueError(`beamSearch: beamWidth must be a positive integer, received ${String(beamWidth)}.`);
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw new ValueError(`beamSearch: maxLength must be a positive integer, received ${String(maxLength)}.`);
  if (!Number.isInteger(startToken)) throw new ValueError(`beamSearch: startToken must be an integer, received ${String(startToken)}.`);
  if (endToken !== undefined && !Number.isInteger(endToken))
    throw new ValueError(`beamSearch: endToken must be an integer, received ${String(endToken)}.`);
  const ln = options.lengthNormalization ?? false;
  const alpha = ln === true ? 1 : ln === false ? 0 : ln;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
    throw new ValueError(`beamSearch: lengthNormalization must be true, false or a number ≥ 0, received ${String(ln)}.`);
  }
  const scoreOf = (logProb: number, length: number): number => (alpha === 0 ? logProb : logProb / Math.pow(Math.max(1, length), alpha));

  let beams: Beam[] = [{ tokens: [], logProb: 0 }];
  let state = initialState;
  const finished: BeamHypothesis[] = [];
  for (let t = 0; t < maxLength && beams.length > 0; t++) {
    const last = Int32Array.from(beams, (b) => (b.tokens.length === 0 ? startToken : b.tokens[b.tokens.length - 1]));
    const result = stepFn(makeTensor(last, [beams.length], 'int32'), state);
    if (!result || !(result.logProbs instanceof Tensor)) {
      throw new ValueError('beamSearch: stepFn must return {logProbs: Tensor [beams, vocab], state}.');
    }
    const lp = result.logProbs;
    if (lp.rank !== 2 || lp.shape[0] !== beams.length) {
      throw new ValueError(
        `beamSearch: stepFn returned logProbs of shape ${formatShape(lp.shape)}, expected [${beams.length}, vocab] (one row per beam).`,
      );
    }
    const vocab = lp.shape[1];
    if (endToken !== undefined && (endToken < 0 || endToken >= vocab)) {
      throw new ValueError(`beamSearch: endToken ${endToken} is out of range [0, ${vocab}) of the vocabulary.`);
    }
    const lv = lp.dataSync();
    const cand: { beam: number; token: number; logProb: number }[] = [];
    for (let b = 0; b < beams.length; b++) {
      for (let v = 0; v < vocab; v++) {
        const l = lv[b * vocab + v];
        if (l > -Infinity) cand.push({ beam: b, token: v, logProb: beams[b].logProb + l });
      }
    }
    // Best first; ties by beam then token so the search is deterministic.
    cand.sort((a, b) => (b.logProb !== a.logProb ? b.logProb - a.logProb : a.beam !== b.beam ? a.beam - b.beam : a.token - b.token));
    const next: Beam[] = [];
    const parents: number[] = [];
    for (const c of cand) {
      if (next.length >= beamWidth) break;
      const tokens = [...beams[c.beam].tokens, c.token];
      if (c.token === endToken) {
        finished.push({ tokens, logProb: c.logProb, score: scoreOf(c.logProb, tokens.length), finished: true });
      } else {
        next.push({ tokens, logProb: c.logProb });
        parents.push(c.beam);
      }
    }
    if (t === maxLength - 1 || next.length === 0) {
      for (const b of next)
        finished.push({ tokens: b.tokens, logProb: b.logProb, score: scoreOf(b.logProb, b.tokens.length), finished: false });
      beams = [];
      break;
    }
    const indices = Int32Array.from(parents);
    state = options.reorderState ? options.reorderState(result.state, indices) : gatherStateRows(result.state, indices, beams.length);
    beams = next;
    // Without length normalization scores only fall as sequences grow: stop once no live beam can enter the top beamWidth.
    if (alpha === 0 && finished.length >= beamWidth) {
      const kth = finished.map((h) => h.score).sort((a, b) => b - a)[beamWidth - 1];
      if (beams[0].logProb <= kth) break;
    }
  }
  finished.sort((a, b) => b.score - a.score);
  return finished.slice(0, beamWidth);
}
