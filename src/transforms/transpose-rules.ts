import type { Aval } from '../core/aval.ts';
import * as lax from '../core/lax.ts';
import type { PrimName, PrimParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import { convTransposeLhs, convTransposeRhs } from './conv-transpose.ts';

/**
 * Transpose rules of the linear primitives: given the cotangent of the output and the
 * operands (known values, or `UndefPrimal` for the linear inputs being transposed),
 * return a cotangent for each undefined operand (null for known ones).
 */
export class UndefPrimal {
  constructor(readonly aval: Aval) {}
}
export type LinearArg = Tensor | UndefPrimal;
export const isUndef = (x: LinearArg): x is UndefPrimal => x instanceof UndefPrimal;

type Rule<P extends PrimName> = (
  ct: Tensor,
  args: readonly LinearArg[],
  params: PrimParams[P],
) => (Tensor | null)[];

export type LinearPrim =
  | 'neg'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'select'
  | 'cast'
  | 'reduce_sum'
  | 'reshape'
  | 'broadcast_in_dim'
  | 'transpose'
  | 'slice'
  | 'pad'
  | 'concatenate'
  | 'rev'
  | 'dot_general'
  | 'conv_general'
  | 'gather'
  | 'scatter_add';

const ifUndef = (x: LinearArg | undefined, f: () => Tensor): Tensor | null => (x && isUndef(x) ? f() : null);
const known = (x: LinearArg | undefined, prim: string): Tensor => {
  if (!x || isUndef(x)) throw new Error(`${prim}: transpose needs this operand to be known (non-linear use)`);
  return x;
};

function invertPerm(perm: readonly number[]): number[] {
  const inv: number[] = [];
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}

/**
 * Cotangent of a dot_general operand: contract ct with the other operand, then permute into
 * the operand's axis order. Both operand orders of that product are candidates, [batch, self
 * free, self contract] (ct first) and [batch, self contract, self free] (other first); when
 * the second needs no permutation and the first does, it is used, so the weight gradient of
 * x·W comes out as xᵀ·ct directly instead of (ctᵀ·x)ᵀ through a materialized transpose.
 */
function dotTransposeOperand(
  ct: Tensor,
  other: Tensor,
  selfRank: number,
  selfContract: readonly number[],
  selfBatch: readonly number[],
  otherContract: readonly number[],
  otherBatch: readonly number[],
  otherRank: number,
  selfIsLhs: boolean,
): Tensor {
  const nb = selfBatch.length;
  const selfFree = range(selfRank).filter((a) => !selfContract.includes(a) && !selfBatch.includes(a));
  const otherFree = range(otherRank).filter((a) => !otherContract.includes(a) && !otherBatch.includes(a));
  // ct axes: batch, then lhs free, then rhs free.
  const ctOtherFree = selfIsLhs ? range(otherFree.length, nb + selfFree.length) : range(otherFree.length, nb);
  // the product's axes: batch, then the lhs's free axes, then the rhs's; other's free axes are
  // contracted away, and what remains of it are its contracting axes in ascending order
  const sortedOtherContract = [...otherContract].sort((a, b) => a - b);
  const contractAt = (ci: number) => sortedOtherContract.indexOf(otherContract[ci]!);
  const perm = (ctFirst: boolean) =>
    range(selfRank).map((a) => {
      const bi = selfBatch.indexOf(a);
      if (bi >= 0) return bi;
      const fi = selfFree.indexOf(a);
      if (fi >= 0) return nb + (ctFirst ? fi : selfContract.length + fi);
      const ci = contractAt(selfContract.indexOf(a));
      return nb + (ctFirst ? selfFree.length + ci : ci);
    });
  const isIdentity = (q: readonly number[]) => q.every((v, i) => v === i);
  const ctFirst = perm(true);
  if (!isIdentity(ctFirst) && isIdentity(perm(false))) {
    return lax.dotGeneral(other, ct, {
      lhsContract: otherFree,
      rhsContract: ctOtherFree,
      lhsBatch: otherBatch,
      rhsBatch: range(nb),
    });
  }
  const r = lax.dotGeneral(ct, other, {
    lhsContract: ctOtherFree,
    rhsContract: otherFree,
    lhsBatch: range(nb),
    rhsBatch: otherBatch,
  });
  return lax.transpose(r, ctFirst);
}

function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

export const transposeRules: { [P in LinearPrim]: Rule<P> } = {
  neg: (ct) => [lax.neg(ct)],
  add: (ct, [a, b]) => [ifUndef(a, () => ct), ifUndef(b, () => ct)],
  sub: (ct, [a, b]) => [ifUndef(a, () => ct), ifUndef(b, () => lax.neg(ct))],
  mul: (ct, [a, b]) => [
    ifUndef(a, () => lax.mul(ct, known(b, 'mul'))),
    ifUndef(b, () => lax.mul(known(a, 'mul'), ct)),
  ],
  div: (ct, [a, b]) => {
    if (b && isUndef(b)) throw new Error('div: not linear in its divisor');
    return [ifUndef(a, () => lax.div(ct, known(b, 'div'))), null];
  },
  select: (ct, [c, a, b]) => {
    const cond = known(c, 'select');
    const z = lax.fullLike(ct.aval, 0);
    return [null, ifUndef(a, () => lax.select(cond, ct, z)), ifUndef(b, () => lax.select(cond, z, ct))];
  },
  cast: (ct, [x]) => [lax.cast(ct, x!.aval.dtype)],
  reduce_sum: (ct, [x], p) => {
    const shape = x!.aval.shape;
    const kept = range(shape.length).filter((i) => !p.axes.includes(i));
    return [lax.broadcastInDim(ct, shape, kept)];
  },
  reshape: (ct, [x]) => [lax.reshape(ct, x!.aval.shape)],
  broadcast_in_dim: (ct, [x], p) => {
    const inShape = x!.aval.shape;
    const summed = range(p.shape.length).filter((d) => {
      const i = p.dims.indexOf(d);
      return i < 0 || (inShape[i] === 1 && p.shape[d] !== 1);
    });
    return [lax.reshape(lax.reduceSum(ct, summed), inShape)];
  },
  transpose: (ct, _args, p) => [lax.transpose(ct, invertPerm(p.perm))],
  slice: (ct, [x], p) => {
    const shape = x!.aval.shape;
    const outShape = ct.shape as readonly number[];
    const lo: number[] = [];
    const hi: number[] = [];
    const interior: number[] = [];
    shape.forEach((n, i) => {
      const out = outShape[i]!;
      if (out === 0) {
        lo.push(n);
        hi.push(0);
        interior.push(0);
        return;
      }
      const s = p.start[i]!;
      const st = p.stride[i]!;
      lo.push(s);
      hi.push(n - (s + (out - 1) * st + 1));
      interior.push(st - 1);
    });
    return [lax.pad(ct, { lo, hi, interior })];
  },
  pad: (ct, [x], p) => {
    const shape = x!.aval.shape;
    const start = p.lo.slice();
    const stride = p.interior.map((v) => v + 1);
    const limit = shape.map((n, i) => (n === 0 ? p.lo[i]! : p.lo[i]! + (n - 1) * stride[i]! + 1));
    return [lax.slice(ct, { start, limit, stride })];
  },
  concatenate: (ct, args, p) => {
    let offset = 0;
    const full = ct.shape as readonly number[];
    return args.map((a) => {
      const n = a.aval.shape[p.axis]!;
      const start = full.map((_, i) => (i === p.axis ? offset : 0));
      const limit = full.map((d, i) => (i === p.axis ? offset + n : d));
      offset += n;
      return ifUndef(a, () => lax.slice(ct, { start, limit, stride: full.map(() => 1) }));
    });
  },
  rev: (ct, _args, p) => [lax.rev(ct, p.axes)],
  dot_general: (ct, [a, b], p) => [
    ifUndef(a, () =>
      dotTransposeOperand(
        ct,
        known(b, 'dot_general'),
        a!.aval.shape.length,
        p.lhsContract,
        p.lhsBatch,
        p.rhsContract,
        p.rhsBatch,
        b!.aval.shape.length,
        true,
      ),
    ),
    ifUndef(b, () =>
      dotTransposeOperand(
        ct,
        known(a, 'dot_general'),
        b!.aval.shape.length,
        p.rhsContract,
        p.rhsBatch,
        p.lhsContract,
        p.lhsBatch,
        a!.aval.shape.length,
        false,
      ),
    ),
  ],
  conv_general: (ct, [x, w], p) => [
    ifUndef(x, () => convTransposeLhs(ct, known(w, 'conv_general'), x!.aval.shape, p)),
    ifUndef(w, () => convTransposeRhs(ct, known(x, 'conv_general'), w!.aval.shape, p)),
  ],
  gather: (ct, [x, idx], p) => [
    ifUndef(x, () => lax.scatterAdd(lax.zerosLike(x!.aval), known(idx, 'gather'), ct, p.axis)),
    null,
  ],
  scatter_add: (ct, [x, idx, u], p) => [
    ifUndef(x, () => ct),
    null,
    ifUndef(u, () => lax.gather(ct, known(idx, 'scatter_add'), p.axis)),
  ],
};
