/**
 * `einsum` with numpy's rules: any number of operands, repeated indices within an operand
 * (diagonals, traces), `...` for broadcast dims, and the implicit output when `->` is absent.
 */
import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Shape } from '../shapes/dim.ts';

interface Term {
  t: Tensor;
  /** one label per dim; ellipsis dims get private labels */
  labels: string[];
}

const ELLIPSIS = (k: number) => `…${k}`;

function parseTerm(spec: string, term: string, rank: number, k: number): string[] {
  if (!/^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/.test(term))
    throw new Error(`einsum: cannot parse '${spec}': term '${term}' (letters and at most one '...')`);
  const [before, after] = term.includes('...') ? term.split('...') : [term, undefined];
  const named = before!.length + (after?.length ?? 0);
  if (after === undefined) {
    if (named !== rank)
      throw new Error(`einsum: '${term}' has ${named} indices but operand ${k} has rank ${rank}`);
    return [...before!];
  }
  const nEllipsis = rank - named;
  if (nEllipsis < 0) throw new Error(`einsum: '${term}' names more indices than operand ${k}'s rank ${rank}`);
  // right-aligned, as numpy broadcasting: the last ellipsis dim is …0
  const dots = Array.from({ length: nEllipsis }, (_, i) => ELLIPSIS(nEllipsis - 1 - i));
  return [...before!, ...dots, ...after];
}

/** Folds a repeated label of one operand into its diagonal: x where i = j, summed over the second axis. */
function diagonal(term: Term, op: string): Term {
  let { t, labels } = term;
  for (;;) {
    const q = labels.findIndex((c, i) => labels.indexOf(c) !== i);
    if (q < 0) return { t, labels };
    const p = labels.indexOf(labels[q]!);
    const n = t.shape[p] as number;
    if (t.shape[q] !== n) throw new Error(`${op}: index ${labels[q]} has sizes ${n} and ${t.shape[q]}`);
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
 * the indices that appear once, in alphabetical order.
 *
 * @param spec - The subscripts, e.g. `'ij,jk->ik'`.
 * @param operands - One tensor per comma-separated term, of one dtype.
 * @returns The contraction, of the output subscripts' shape (dynamic in the type).
 *
 * @example
 * ```ts
 * import { einsum, tensor } from 'typegrad';
 * const a = tensor([[1, 2], [3, 4]]);
 * console.log(einsum('ij,jk->ik', a, a).toArray()); // [[7, 10], [15, 22]]
 * console.log(einsum('ii->', a).item()); // 5
 * console.log(einsum('ij->j', a).toArray()); // [4, 6]
 * ```
 */
export function einsum<D extends DType>(spec: string, ...operands: Tensor<Shape, D>[]): Tensor<number[], D> {
  const op = 'einsum';
  const clean = spec.replace(/\s+/g, '');
  const [lhs, rhs] = clean.includes('->') ? clean.split('->') : [clean, undefined];
  const termsText = lhs!.split(',');
  if (termsText.length !== operands.length)
    throw new Error(`einsum: '${spec}' names ${termsText.length} operands, got ${operands.length}`);
  if (operands.length === 0) throw new Error('einsum: needs at least one operand');
  const dt = operands.map((t) => t.dtype as DType).reduce(promote);
  let terms: Term[] = termsText.map((s, k) => ({
    t: lax.cast(operands[k]! as Tensor, dt),
    labels: parseTerm(spec, s, operands[k]!.ndim, k),
  }));
  // the implicit output counts labels as written (numpy: 'ii' is the trace)
  const written = terms.map((x) => x.labels);
  terms = terms.map((term) => diagonal(term, op));
  // sizes per label; size-1 dims broadcast (ellipsis dims, as numpy)
  const sizes = new Map<string, number>();
  for (const { t, labels } of terms)
    labels.forEach((c, i) => {
      const n = t.shape[i] as number;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1)
        throw new Error(`einsum: index ${c.startsWith('…') ? '...' : c} has sizes ${prev} and ${n}`);
      sizes.set(c, prev === undefined || prev === 1 ? n : prev);
    });
  terms = terms.map(({ t, labels }) => {
    const want = labels.map((c) => sizes.get(c)!);
    return want.every((n, i) => n === t.shape[i]) ? { t, labels } : { t: broadcastOnes(t, want), labels };
  });
  const ellipsisLabels = [...sizes.keys()]
    .filter((c) => c.startsWith('…'))
    .sort()
    .reverse();
  const output = outputLabels(spec, rhs, written, ellipsisLabels);
  for (const c of output) if (!sizes.has(c)) throw new Error(`einsum: output index ${c} is not in any input`);
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

function outputLabels(
  spec: string,
  rhs: string | undefined,
  written: readonly (readonly string[])[],
  ellipsis: string[],
): string[] {
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const labels of written) for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
    const once = [...counts.entries()]
      .filter(([c, n]) => n === 1 && !c.startsWith('…'))
      .map(([c]) => c)
      .sort();
    return [...ellipsis, ...once];
  }
  if (!/^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/.test(rhs))
    throw new Error(`einsum: cannot parse output '${rhs}' of '${spec}'`);
  const [before, after] = rhs.includes('...') ? rhs.split('...') : [rhs, undefined];
  const out = after === undefined ? [...before!] : [...before!, ...ellipsis, ...after];
  if (new Set(out).size !== out.length) throw new Error(`einsum: output '${rhs}' repeats an index`);
  return out;
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
