/**
 * `einsum` with numpy's rules: any number of operands, repeated indices within an operand
 * (diagonals, traces), `...` for broadcast dims, and the implicit output when `->` is absent.
 */
import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Checked } from '../shapes/dim.ts';
import type { Einsum, EinsumCheck } from '../shapes/einsum.ts';
import { einsumPlan } from '../shapes/einsum.ts';
import type { DTypeOfAll, Shapes } from './shape.ts';

interface Term {
  t: Tensor;
  /** one label per dim; ellipsis dims get private labels */
  labels: string[];
}

/** Folds a repeated label of one operand into its diagonal: x where i = j, summed over the second axis. */
function diagonal(term: Term, op: string): Term {
  let { t, labels } = term;
  for (;;) {
    const q = labels.findIndex((c, i) => labels.indexOf(c) !== i);
    if (q < 0) return { t, labels };
    const p = labels.indexOf(labels[q]!);
    const n = t.shape[p] as number; // einsumPlan checked that t.shape[q] is n too
    const ids = fromHost(
      Int32Array.from({ length: n }, (_, i) => i),
      { shape: [n], dtype: 'i32' },
      op,
    );
    const shape = t.shape as readonly number[];
    const onDiagonal = lax.compare(
      lax.broadcastInDim(ids, shape, [p]),
      lax.broadcastInDim(ids, shape, [q]),
      'eq',
    );
    t = lax.reduceSum(lax.select(onDiagonal, t, lax.fullLike(t.aval, 0)), [q]);
    labels = labels.filter((_, i) => i !== q);
  }
}

/**
 * Einstein summation, numpy's rules: `einsum('bij,bjk->bik', a, b)`, traces and diagonals
 * (`'ii->'`, `'ii->i'`), `...` for broadcast dims (`'...ij,...jk->...ik'`), three or more
 * operands (contracted left to right), and without `->` the output is the ellipsis dims then
 * the indices that appear once, in alphabetical order. Typed: a literal spec is parsed at
 * compile time, so the result has the operands' dims (`'ij,jk->ik'` on `[2, 3]` and `[3, 4]`
 * gives `Tensor<[2, 4]>`), and an index with two sizes is a compile error naming einsum, the
 * index and both sizes; a spec typed `string` gives `number[]`.
 *
 * @param spec the subscripts, e.g. `'ij,jk->ik'`
 * @param operands one tensor per comma-separated term, of one dtype
 * @returns the contraction, of the output subscripts' shape
 * @example
 * ```ts
 * import { einsum, type Tensor, tensor } from 'typegrad';
 *
 * const a = tensor([[1, 2], [3, 4]]);
 * const ab: Tensor<[2, 2]> = einsum('ij,jk->ik', a, a); // a @ a
 * console.log(ab.toArray()); // [[7, 10], [15, 22]]
 * console.log(einsum('ii->', a).toArray()); // 5
 * console.log(einsum('ii->i', a).toArray()); // [1, 4]
 * ```
 */
export function einsum<const Spec extends string, const Ts extends readonly Tensor[]>(
  spec: Checked<Spec, EinsumCheck<Spec, Shapes<Ts>>>,
  ...operands: Ts
): Tensor<Einsum<Spec, Shapes<Ts>>, DTypeOfAll<Ts>> {
  const op = 'einsum';
  const plan = einsumPlan(
    spec,
    operands.map((t) => t.shape as readonly number[]),
  );
  const dt = operands.map((t) => t.dtype as DType).reduce(promote);
  let terms: Term[] = operands.map((t, k) => ({
    t: lax.cast(t as Tensor, dt),
    labels: plan.labels[k]!,
  }));
  terms = terms.map((term) => diagonal(term, op));
  terms = terms.map(({ t, labels }) => {
    const want = labels.map((c) => plan.sizes.get(c)!);
    return want.every((n, i) => n === t.shape[i]) ? { t, labels } : { t: broadcastOnes(t, want), labels };
  });
  const output = plan.output;
  // Sum out, per operand, labels that no other operand and not the output use.
  const needed = (k: number) =>
    new Set([...output, ...terms.filter((_, j) => j !== k).flatMap((x) => x.labels)]);
  terms = terms.map((term, k) => sumOut(term, needed(k)));
  let acc = terms[0]!;
  for (let k = 1; k < terms.length; k++) {
    const keep = new Set([...output, ...terms.slice(k + 1).flatMap((x) => x.labels)]);
    acc = contract(acc, terms[k]!, keep);
  }
  acc = sumOut(acc, new Set(output));
  return lax.transpose(
    acc.t,
    output.map((c) => acc.labels.indexOf(c)),
  ) as never;
}

function broadcastOnes(t: Tensor, want: readonly number[]): Tensor {
  const squeezedDims = (t.shape as readonly number[]).map((n, i) => (n === 1 && want[i] !== 1 ? -1 : i));
  const kept = squeezedDims.filter((i) => i >= 0);
  const s = lax.reshape(
    t,
    kept.map((i) => t.shape[i] as number),
  );
  return lax.broadcastInDim(s, want, kept);
}

function sumOut(term: Term, keep: ReadonlySet<string>): Term {
  const drop = term.labels.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  return { t: lax.reduceSum(term.t, drop), labels: term.labels.filter((_, i) => !drop.includes(i)) };
}

/** One dot_general: shared labels kept later are batch dims, the other shared ones contract. */
function contract(l: Term, r: Term, keep: ReadonlySet<string>): Term {
  const shared = l.labels.filter((c) => r.labels.includes(c));
  const batch = shared.filter((c) => keep.has(c));
  const summed = shared.filter((c) => !keep.has(c));
  const t = lax.dotGeneral(l.t, r.t, {
    lhsContract: summed.map((c) => l.labels.indexOf(c)),
    rhsContract: summed.map((c) => r.labels.indexOf(c)),
    lhsBatch: batch.map((c) => l.labels.indexOf(c)),
    rhsBatch: batch.map((c) => r.labels.indexOf(c)),
  });
  const free = (s: readonly string[]) => s.filter((c) => !shared.includes(c));
  return { t, labels: [...batch, ...free(l.labels), ...free(r.labels)] };
}
