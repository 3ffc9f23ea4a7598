import type { DType } from '../core/dtype.ts';
import { promote } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import { broadcastShapes } from '../shapes/broadcast.ts';
import type { Guard, Shape } from '../shapes/dim.ts';
import type { MatMul, MatMulCheck } from '../shapes/matmul.ts';
import { matmulShape } from '../shapes/matmul.ts';
import { broadcastTo, checkArg, range } from './coerce.ts';

type Dims = readonly number[];

/**
 * numpy matmul: `[..., M, K] @ [..., K, N]`; a 1-d operand is a vector; batch dims
 * broadcast. A 2-d right operand (a weight) is never broadcast: the left's batch dims
 * become free dims of one dot_general.
 */
export function matmul<A extends Shape, B extends Shape, D extends DType>(
  a: Tensor<A, D>,
  b: Tensor<B, D> & Guard<MatMulCheck<A, B>>,
): Tensor<MatMul<A, B>, D> {
  checkArg('matmul', a, 'a');
  checkArg('matmul', b, 'b');
  const out = matmulShape(a.shape as Dims, b.shape as Dims);
  const dt = promote(a.dtype, b.dtype);
  const a1 = lax.cast(a, dt);
  const b1 = lax.cast(b as Tensor, dt);
  const x = a1.ndim === 1 ? lax.reshape(a1, [1, a1.shape[0] as number]) : a1;
  const y = b1.ndim === 1 ? lax.reshape(b1, [b1.shape[0] as number, 1]) : b1;
  let r: Tensor;
  if (y.ndim === 2) {
    r = lax.dotGeneral(x, y, { lhsContract: [x.ndim - 1], rhsContract: [0], lhsBatch: [], rhsBatch: [] });
  } else {
    const xs = x.shape as Dims;
    const ys = y.shape as Dims;
    const batch = broadcastShapes('matmul', xs.slice(0, -2), ys.slice(0, -2));
    const xb = broadcastTo(x, [...batch, ...xs.slice(-2)]);
    const yb = broadcastTo(y, [...batch, ...ys.slice(-2)]);
    const nb = batch.length;
    r = lax.dotGeneral(xb, yb, {
      lhsContract: [nb + 1],
      rhsContract: [nb],
      lhsBatch: range(nb),
      rhsBatch: range(nb),
    });
  }
  return lax.reshape(r, out) as never;
}

/**
 * Einstein summation over one or two operands, e.g. `einsum('bij,bjk->bik', a, b)`.
 * Indices in both operands and the output are batch dims; in both but not the output are
 * contracted; in one operand only and not the output are summed first.
 */
export function einsum<D extends DType>(spec: string, ...operands: Tensor<Shape, D>[]): Tensor<number[], D> {
  const m = /^\s*([a-zA-Z]*)\s*(?:,\s*([a-zA-Z]*)\s*)?->\s*([a-zA-Z]*)\s*$/.exec(spec);
  if (!m) throw new Error(`einsum: cannot parse '${spec}' (expected like 'ij,jk->ik')`);
  const inputs = m[2] === undefined ? [m[1]!] : [m[1]!, m[2]];
  const output = m[3]!;
  if (inputs.length !== operands.length)
    throw new Error(`einsum: '${spec}' names ${inputs.length} operands, got ${operands.length}`);
  const dt = operands.map((t) => t.dtype as DType).reduce(promote);
  operands = operands.map((t) => lax.cast(t, dt) as Tensor<Shape, D>);
  const sizes = new Map<string, number>();
  inputs.forEach((labels, k) => {
    const t = operands[k]!;
    if (labels.length !== t.ndim)
      throw new Error(`einsum: '${labels}' has ${labels.length} indices but operand ${k} has rank ${t.ndim}`);
    if (new Set(labels).size !== labels.length)
      throw new Error(`einsum: repeated index in '${labels}' (diagonals are not supported)`);
    [...labels].forEach((c, i) => {
      const n = t.shape[i] as number;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n) throw new Error(`einsum: index ${c} has sizes ${prev} and ${n}`);
      sizes.set(c, n);
    });
  });
  for (const c of output) if (!sizes.has(c)) throw new Error(`einsum: output index ${c} is not in any input`);
  // Sum out indices that appear in only one operand and not in the output.
  const reduced = inputs.map((labels, k) => {
    const others = inputs.filter((_, j) => j !== k).join('');
    const drop = [...labels]
      .map((c, i) => (!output.includes(c) && !others.includes(c) ? i : -1))
      .filter((i) => i >= 0);
    return {
      t: lax.reduceSum(operands[k]!, drop),
      labels: [...labels].filter((_, i) => !drop.includes(i)).join(''),
    };
  });
  let result: Tensor;
  let labels: string;
  if (reduced.length === 1) {
    result = reduced[0]!.t;
    labels = reduced[0]!.labels;
  } else {
    const [l, r] = reduced as [{ t: Tensor; labels: string }, { t: Tensor; labels: string }];
    const shared = [...l.labels].filter((c) => r.labels.includes(c));
    const batch = shared.filter((c) => output.includes(c));
    const contract = shared.filter((c) => !output.includes(c));
    result = lax.dotGeneral(l.t, r.t, {
      lhsContract: contract.map((c) => l.labels.indexOf(c)),
      rhsContract: contract.map((c) => r.labels.indexOf(c)),
      lhsBatch: batch.map((c) => l.labels.indexOf(c)),
      rhsBatch: batch.map((c) => r.labels.indexOf(c)),
    });
    const free = (s: string) => [...s].filter((c) => !shared.includes(c)).join('');
    labels = batch.join('') + free(l.labels) + free(r.labels);
  }
  if (labels.length !== output.length)
    throw new Error(`einsum: output '${output}' must name every kept index`);
  return lax.transpose(
    result,
    [...output].map((c) => labels.indexOf(c)),
  ) as never;
}
