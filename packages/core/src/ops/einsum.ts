/**
 * `einsum(equation, ...tensors)` for one or two operands in explicit form (`'bij,bjk->bik'`, `'bhqd,bhkd->bhqk'`,
 * `'ij->ji'`, `'i,i->'`), built from sum, transpose, reshape and one batched matMul, so it is differentiable.
 */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { NotImplementedError, ValueError } from '../errors';
import { sum } from './reduction';
import { transpose } from './transpose';
import { reshape } from './reshape';
import { matMul } from './mat_mul';

interface Operand {
  t: Tensor;
  letters: string[];
}

/** Sums out the letters of `o` that `keep` does not name; returns the rest. */
function sumOut(o: Operand, keep: (c: string) => boolean): Operand {
  const axes = o.letters.map((c, i) => (keep(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return o;
  return { t: sum(o.t, axes), letters: o.letters.filter((c) => keep(c)) };
}

/** Transposes `o` so its letters come in the order `order` (a permutation of them). */
function arrange(o: Operand, order: string[]): Tensor {
  const perm = order.map((c) => o.letters.indexOf(c));
  return perm.every((p, i) => p === i) ? o.t : transpose(o.t, perm);
}

/**
 * Einstein summation: each operand's axes are named by letters; letters missing from the output (after `->`) are
 * summed, letters shared by both operands and kept are batch axes. Attention scores `[batch, heads, q, d]` ×
 * `[batch, heads, k, d]` → `[batch, heads, q, k]`:
 *
 * ```js
 * einsum('bhqd,bhkd->bhqk', q, k);
 * einsum('ij->ji', m);   // transpose
 * ```
 * The implicit form (no `->`), `...`, a letter repeated within one operand (diagonals) and more than two operands
 * throw NotImplementedError.
 * tfjs note: a letter in one operand only and not in the output is summed here, as numpy (`'ij,j->'` is the scalar
 * Σ a_ij·b_j); tfjs 4.x returns the wrong shape-[i] result for that equation.
 */
export function einsum(equation: string, ...tensors: TensorLike[]): Tensor {
  if (typeof equation !== 'string') throw new ValueError(`einsum: argument 'equation' must be a string, received ${typeof equation}.`);
  const eq = equation.replace(/\s+/g, '');
  const refuse = (why: string): never => {
    throw new NotImplementedError(`einsum: equation '${equation}' is not supported (${why}).`);
  };
  if (!eq.includes('->')) refuse("the implicit form without '->'; write the output letters explicitly");
  if (eq.includes('.')) refuse("ellipsis '...'");
  const sides = eq.split('->');
  if (sides.length !== 2) throw new ValueError(`einsum: equation '${equation}' must have one '->', received ${sides.length - 1}.`);
  const [lhs, rhs] = sides;
  const specs = lhs.split(',');
  if (specs.length > 2) refuse('more than two operands');
  if (!/^[a-zA-Z]*$/.test(rhs) || specs.some((s) => !/^[a-zA-Z]*$/.test(s))) {
    throw new ValueError(`einsum: equation '${equation}' must name axes with letters a-z, A-Z, received other characters.`);
  }
  if (specs.length !== tensors.length) {
    throw new ValueError(`einsum: equation '${equation}' names ${specs.length} operand(s), received ${tensors.length} tensor(s).`);
  }
  const sizes = new Map<string, number>();
  const ops: Operand[] = specs.map((s, k) => {
    const t = convertToTensor(tensors[k], `tensors[${k}]`, 'einsum');
    const letters = s.split('');
    if (new Set(letters).size !== letters.length) refuse(`letter repeated within operand ${k} ('${s}', a diagonal)`);
    if (letters.length !== t.rank) {
      throw new ValueError(
        `einsum: operand ${k} ('${s}') of equation '${equation}' must have rank ${letters.length}, received shape ${formatShape(t.shape)}.`,
      );
    }
    letters.forEach((c, i) => {
      const d = sizes.get(c);
      if (d !== undefined && d !== t.shape[i]) {
        throw new ValueError(
          `einsum: letter '${c}' of equation '${equation}' has size ${d} and ${t.shape[i]} (operand ${k}, shape ${formatShape(t.shape)}).`,
        );
      }
      sizes.set(c, t.shape[i]);
    });
    return { t, letters };
  });
  const out = rhs.split('');
  if (new Set(out).size !== out.length) throw new ValueError(`einsum: the output '${rhs}' of equation '${equation}' repeats a letter.`);
  out.forEach((c) => {
    if (!sizes.has(c)) throw new ValueError(`einsum: output letter '${c}' of equation '${equation}' names no input axis.`);
  });
  const inOut = (c: string): boolean => out.includes(c);
  if (ops.length === 1) {
    const o = sumOut(ops[0], inOut);
    return arrange(o, out);
  }
  const a = sumOut(ops[0], (c) => inOut(c) || ops[1].letters.includes(c));
  const b = sumOut(ops[1], (c) => inOut(c) || ops[0].letters.includes(c));
  const batch = a.letters.filter((c) => b.letters.includes(c) && inOut(c));
  const contracted = a.letters.filter((c) => b.letters.includes(c) && !inOut(c));
  const aFree = a.letters.filter((c) => !b.letters.includes(c));
  const bFree = b.letters.filter((c) => !a.letters.includes(c));
  const size = (ls: string[]): number => ls.reduce((p, c) => p * sizes.get(c)!, 1);
  const a3 = reshape(arrange(a, [...batch, ...aFree, ...contracted]), [size(batch), size(aFree), size(contracted)]);
  const b3 = reshape(arrange(b, [...batch, ...contracted, ...bFree]), [size(batch), size(contracted), size(bFree)]);
  const prodLetters = [...batch, ...aFree, ...bFree];
  const product = reshape(
    matMul(a3, b3),
    prodLetters.map((c) => sizes.get(c)!),
  );
  return arrange({ t: product, letters: prodLetters }, out);
}
