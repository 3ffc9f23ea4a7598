import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import type { PrimName, PrimParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import { bind1 } from '../core/trace.ts';

/**
 * One batching rule per primitive. Most move the batch axis to the front and shift the
 * primitive's axis parameters by one; a few (dot_general, conv_general, gather) fold the
 * batch into an existing dimension so the kernel runs once.
 */
type BDim = number | null;
type Rule<P extends PrimName> = (
  args: readonly Tensor[],
  dims: readonly BDim[],
  params: PrimParams[P],
) => [Tensor[], BDim[]];

const range = (n: number, start = 0) => Array.from({ length: n }, (_, i) => start + i);

/** Moves axis `from` of x to position `to`. */
export function moveBatchAxis(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = range(x.ndim).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return lax.transpose(x, perm);
}

/** The batch axis of x at the front; an unbatched x broadcast to `size` there. */
export function toFront(x: Tensor, d: BDim, size: number): Tensor {
  if (d !== null) return moveBatchAxis(x, d, 0);
  const shape = [size, ...(x.shape as readonly number[])];
  return lax.broadcastInDim(x, shape, range(x.ndim, 1));
}

function batchSize(args: readonly Tensor[], dims: readonly BDim[]): number {
  const i = dims.findIndex((d) => d !== null);
  return args[i]!.shape[dims[i]!] as number;
}

const shift = (axes: readonly number[]) => axes.map((a) => a + 1);

/** Elementwise (any arity): all operands batched at the front. */
const elementwise =
  (prim: PrimName): Rule<PrimName> =>
  (args, dims, params) => {
    if (args.length === 1) return [[bind1(prim, args, params)], [dims[0]!]];
    const n = batchSize(args, dims);
    return [
      [
        bind1(
          prim,
          args.map((a, i) => toFront(a, dims[i]!, n)),
          params,
        ),
      ],
      [0],
    ];
  };

/** Unary with the batch at the front and axis parameters shifted. */
const frontWith =
  <P extends PrimName>(prim: P, adjust: (p: PrimParams[P], x: Tensor) => PrimParams[P]): Rule<P> =>
  ([x], [d], p) => {
    const xf = moveBatchAxis(x!, d!, 0);
    return [[bind1(prim, [xf], adjust(p, xf))], [0]];
  };

export const batchRules: { [P in PrimName]: Rule<P> } = {
  neg: elementwise('neg'),
  exp: elementwise('exp'),
  log: elementwise('log'),
  sin: elementwise('sin'),
  cos: elementwise('cos'),
  sqrt: elementwise('sqrt'),
  tanh: elementwise('tanh'),
  logistic: elementwise('logistic'),
  abs: elementwise('abs'),
  sign: elementwise('sign'),
  add: elementwise('add'),
  sub: elementwise('sub'),
  mul: elementwise('mul'),
  div: elementwise('div'),
  pow: elementwise('pow'),
  max: elementwise('max'),
  min: elementwise('min'),
  compare: elementwise('compare'),
  select: elementwise('select'),
  cast: elementwise('cast'),
  reduce_sum: frontWith('reduce_sum', (p) => ({ axes: shift(p.axes) })),
  reduce_max: frontWith('reduce_max', (p) => ({ axes: shift(p.axes) })),
  argmax: frontWith('argmax', (p) => ({ axis: p.axis + 1 })),
  window_argmax: ([x], [d], p) => {
    // Batched at the front, indices count from the start of the whole batch: subtract each
    // member's offset so they index that member, as the unbatched program expects.
    const xf = moveBatchAxis(x!, d!, 0);
    const idx = lax.windowArgmax(xf, p);
    const n = xf.shape[0] as number;
    const member = xf.size / n;
    const offsets = fromHost(
      Int32Array.from(range(n), (b) => b * member),
      { shape: [n], dtype: 'i32' },
      'vmap',
    );
    return [[lax.sub(idx, lax.broadcastInDim(offsets, idx.shape as readonly number[], [0]))], [0]];
  },
  window_max: frontWith('window_max', (p) => p),
  reshape: frontWith('reshape', (p, x) => ({ shape: [x.shape[0] as number, ...p.shape] })),
  broadcast_in_dim: frontWith('broadcast_in_dim', (p, x) => ({
    shape: [x.shape[0] as number, ...p.shape],
    dims: [0, ...shift(p.dims)],
  })),
  transpose: frontWith('transpose', (p) => ({ perm: [0, ...shift(p.perm)] })),
  slice: frontWith('slice', (p, x) => ({
    start: [0, ...p.start],
    limit: [x.shape[0] as number, ...p.limit],
    stride: [1, ...p.stride],
  })),
  pad: frontWith('pad', (p) => ({ lo: [0, ...p.lo], hi: [0, ...p.hi], interior: [0, ...p.interior] })),
  concatenate: (args, dims, p) => {
    const n = batchSize(args, dims);
    return [
      [
        lax.concatenate(
          args.map((a, i) => toFront(a, dims[i]!, n)),
          p.axis + 1,
        ),
      ],
      [0],
    ];
  },
  rev: frontWith('rev', (p) => ({ axes: shift(p.axes) })),
  dot_general: ([a, b], [da, db], p) => {
    if (da !== null && db !== null) {
      const q = {
        lhsContract: shift(p.lhsContract),
        rhsContract: shift(p.rhsContract),
        lhsBatch: [0, ...shift(p.lhsBatch)],
        rhsBatch: [0, ...shift(p.rhsBatch)],
      };
      return [[lax.dotGeneral(moveBatchAxis(a!, da!, 0), moveBatchAxis(b!, db!, 0), q)], [0]];
    }
    const nb = p.lhsBatch.length;
    if (da !== null) {
      // The batch axis becomes lhs's first free axis: right after the dot's batch dims.
      const q = { ...p, lhsContract: shift(p.lhsContract), lhsBatch: shift(p.lhsBatch) };
      return [[lax.dotGeneral(moveBatchAxis(a!, da!, 0), b!, q)], [nb]];
    }
    const lhsFree = a!.ndim - nb - p.lhsContract.length;
    const q = { ...p, rhsContract: shift(p.rhsContract), rhsBatch: shift(p.rhsBatch) };
    return [[lax.dotGeneral(a!, moveBatchAxis(b!, db!, 0), q)], [nb + lhsFree]];
  },
  conv_general: ([x, w], [dx, dw], p) => {
    const n = batchSize([x!, w!], [dx!, dw!]);
    if (dw === null) {
      // Fold the batch into N.
      const xf = moveBatchAxis(x!, dx!, 0);
      const [, nn, ...rest] = xf.shape as readonly number[] as [number, number, ...number[]];
      const y = lax.convGeneral(lax.reshape(xf, [n * nn, ...rest]), w!, p);
      const [, ...yrest] = y.shape as readonly number[];
      return [[lax.reshape(y, [n, nn, ...yrest])], [0]];
    }
    const g = p.groups;
    const wf = moveBatchAxis(w!, dw!, 0);
    const [, o, ...wrest] = wf.shape as readonly number[] as [number, number, ...number[]];
    if (dx === null) {
      // Fold the batch into the output channels, keeping each group's channels together.
      const wg = lax.reshape(wf, [n, g, o / g, ...wrest]);
      const wt = lax.transpose(wg, [1, 0, 2, ...range(wrest.length, 3)]);
      const y = lax.convGeneral(x!, lax.reshape(wt, [g * n * (o / g), ...wrest]), p);
      const [nn, , ...sp] = y.shape as readonly number[] as [number, number, ...number[]];
      const y5 = lax.reshape(y, [nn, g, n, o / g, ...sp]);
      const yt = lax.transpose(y5, [2, 0, 1, 3, ...range(sp.length, 4)]);
      return [[lax.reshape(yt, [n, nn, o, ...sp])], [0]];
    }
    // Both batched: the batch becomes extra groups.
    const xf = moveBatchAxis(x!, dx!, 1);
    const [nn, , c, ...xs] = xf.shape as readonly number[] as [number, number, number, ...number[]];
    const y = lax.convGeneral(lax.reshape(xf, [nn, n * c, ...xs]), lax.reshape(wf, [n * o, ...wrest]), {
      ...p,
      groups: g * n,
    });
    const [, , ...sp] = y.shape as readonly number[];
    return [[lax.reshape(y, [nn, n, o, ...sp])], [1]];
  },
  gather: ([x, idx], [dx, di], p) => {
    if (di === null) {
      return [[lax.gather(moveBatchAxis(x!, dx!, 0), idx!, p.axis + 1)], [0]];
    }
    if (dx === null) return [[lax.gather(x!, idx!, p.axis)], [p.axis + di!]];
    // Both batched: offset each batch's indices into a flattened (batch, axis) dimension.
    const n = batchSize([x!, idx!], [dx!, di!]);
    const xf = moveBatchAxis(moveBatchAxis(x!, dx!, 0), p.axis + 1, 1);
    const size = xf.shape[1] as number;
    const [, , ...rest] = xf.shape as readonly number[];
    const flat = lax.reshape(xf, [n * size, ...rest]);
    const idxF = moveBatchAxis(idx!, di!, 0);
    const offsets = batchOffsets(idxF, size);
    const g = lax.gather(flat, lax.add(wrapNegative(idxF, size), offsets), 0);
    // g: [n, I..., rest...]; the result wants [n, rest[:axis], I..., rest[axis:]].
    const ni = idxF.ndim - 1;
    const perm = [
      0,
      ...range(p.axis, 1 + ni),
      ...range(ni, 1),
      ...range(rest.length - p.axis, 1 + ni + p.axis),
    ];
    return [[lax.transpose(g, perm)], [0]];
  },
  scatter_add: ([x, idx, u], [dx, di, du], p) => {
    const n = batchSize([x!, idx!, u!], [dx!, di!, du!]);
    const xf = moveBatchAxis(toFront(x!, dx!, n), p.axis + 1, 1);
    const size = xf.shape[1] as number;
    const [, , ...rest] = xf.shape as readonly number[];
    const idxF = toFront(idx!, di!, n);
    const ni = idxF.ndim - 1;
    // updates [n, rest[:axis], I..., rest[axis:]] -> [n, I..., rest...]
    const uf = toFront(u!, du!, n);
    const perm = [
      0,
      ...range(ni, 1 + p.axis),
      ...range(p.axis, 1),
      ...range(rest.length - p.axis, 1 + p.axis + ni),
    ];
    const updates = lax.transpose(uf, perm);
    const flatIdx = lax.add(wrapNegative(idxF, size), batchOffsets(idxF, size));
    const out = lax.scatterAdd(lax.reshape(xf, [n * size, ...rest]), flatIdx, updates, 0);
    return [[moveBatchAxis(lax.reshape(out, [n, size, ...rest]), 1, p.axis + 1)], [0]];
  },
  random_bits: ([key], [d], p) => {
    // One draw per key: unstack the keys and stack the results.
    const keys = moveBatchAxis(key!, d!, 0);
    const n = keys.shape[0] as number;
    const outs = range(n).map((i) => {
      const k = lax.reshape(lax.slice(keys, { start: [i, 0], limit: [i + 1, 2], stride: [1, 1] }), [2]);
      const bits = lax.randomBits(k, p.shape, p.stream);
      return lax.reshape(bits, [1, ...p.shape]);
    });
    return [[lax.concatenate(outs, 0)], [0]];
  },
};

/** Indices in [-size, size) mapped to [0, size). */
function wrapNegative(idx: Tensor, size: number): Tensor {
  const neg = lax.compare(idx, lax.fullLike(idx.aval, 0), 'lt');
  return lax.select(neg, lax.add(idx, lax.fullLike(idx.aval, size)), idx);
}

/** b * size for each element of a batch-leading index tensor. */
function batchOffsets(idx: Tensor, size: number): Tensor {
  const n = idx.shape[0] as number;
  const data = Int32Array.from({ length: n }, (_, b) => b * size);
  const column = fromHost(data, { shape: [n], dtype: 'i32' }, 'vmap');
  return lax.broadcastInDim(column, idx.shape as readonly number[], [0]);
}
