import * as lax from '../core/lax.ts';
import type { PrimName, PrimParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import { bind1 } from '../core/trace.ts';
import type { MaybeZero } from './zero.ts';
import { addMaybe, instantiate, Zero } from './zero.ts';

/**
 * One jvp rule per primitive. The table's type lists every primitive, so adding a
 * primitive without a rule does not compile. Rules only see inputs with at least one
 * non-zero tangent (the trace short-cuts the all-zero case).
 */
type Rule<P extends PrimName> = (
  primals: readonly Tensor[],
  tangents: readonly MaybeZero[],
  params: PrimParams[P],
) => [Tensor[], MaybeZero[]];

/** Applies a linear map to a tangent, keeping symbolic zeros symbolic. */
const tmap = (t: MaybeZero | undefined, f: (x: Tensor) => Tensor): MaybeZero =>
  t instanceof Zero ? t : f(t as Tensor);

const scalar = (like: Tensor, v: number) => lax.fullLike(like.aval, v);

/** Rule for y = f(x) with dy = t * df(x, y). */
const unaryChain =
  (
    prim: 'exp' | 'log' | 'sin' | 'cos' | 'sqrt' | 'tanh' | 'logistic' | 'abs',
    d: (x: Tensor, y: Tensor) => Tensor,
  ): Rule<PrimName> =>
  ([x], [t]) => {
    const y = lax.unary(prim, x!);
    return [[y], [lax.mul(instantiate(t!), d(x!, y))]];
  };

/** Rule for a primitive that is linear in all its inputs: apply it to the tangents. */
const linear =
  (prim: PrimName): Rule<PrimName> =>
  (primals, tangents, params) => {
    const y = laxBind(prim, primals, params);
    return [[y], [laxBind(prim, tangents.map(instantiate), params)]];
  };

const laxBind = (prim: PrimName, args: readonly Tensor[], params: object) =>
  bind1(prim, args, params as never);

const zeroTangent =
  (prim: PrimName): Rule<PrimName> =>
  (primals, _t, params) => {
    const y = laxBind(prim, primals, params);
    return [[y], [new Zero(y.aval)]];
  };

/** Weight given to `a` where a and b tie in max/min: half each, as JAX does. */
function chooserWeights(a: Tensor, b: Tensor, win: 'gt' | 'lt'): Tensor {
  const wins = lax.cast(lax.compare(a, b, win), a.dtype);
  const ties = lax.cast(lax.compare(a, b, 'eq'), a.dtype);
  return lax.add(wins, lax.mul(ties, scalar(a, 0.5)));
}

const chooser =
  (prim: 'max' | 'min', win: 'gt' | 'lt'): Rule<PrimName> =>
  ([a, b], [ta, tb]) => {
    const y = laxBind(prim, [a!, b!], {});
    const wa = chooserWeights(a!, b!, win);
    const wb = lax.sub(scalar(a!, 1), wa);
    const da: MaybeZero = tmap(ta, (ta) => lax.mul(ta, wa));
    const db: MaybeZero = tmap(tb, (tb) => lax.mul(tb, wb));
    return [[y], [addMaybe(da, db, lax.add)]];
  };

export const jvpRules: { [P in PrimName]: Rule<P> } = {
  neg: linear('neg'),
  exp: unaryChain('exp', (_x, y) => y),
  log: unaryChain('log', (x) => lax.div(scalar(x, 1), x)),
  sin: unaryChain('sin', (x) => lax.cos(x)),
  cos: unaryChain('cos', (x) => lax.neg(lax.sin(x))),
  sqrt: unaryChain('sqrt', (_x, y) => lax.div(scalar(y, 0.5), y)),
  tanh: unaryChain('tanh', (_x, y) => lax.sub(scalar(y, 1), lax.mul(y, y))),
  logistic: unaryChain('logistic', (_x, y) => lax.mul(y, lax.sub(scalar(y, 1), y))),
  abs: unaryChain('abs', (x) => lax.sign(x)),
  sign: zeroTangent('sign'),
  add: ([a, b], [ta, tb]) => [[lax.add(a!, b!)], [addMaybe(ta, tb!, lax.add)]],
  sub: ([a, b], [ta, tb]) => [[lax.sub(a!, b!)], [addMaybe(ta, tmap(tb, lax.neg), lax.add)]],
  mul: ([a, b], [ta, tb]) => {
    const da: MaybeZero = tmap(ta, (ta) => lax.mul(ta, b!));
    const db: MaybeZero = tmap(tb, (tb) => lax.mul(a!, tb));
    return [[lax.mul(a!, b!)], [addMaybe(da, db, lax.add)]];
  },
  div: ([a, b], [ta, tb]) => {
    const y = lax.div(a!, b!);
    const da: MaybeZero = tmap(ta, (ta) => lax.div(ta, b!));
    const db: MaybeZero = tmap(tb, (tb) => lax.neg(lax.mul(tb, lax.div(y, b!))));
    return [[y], [addMaybe(da, db, lax.add)]];
  },
  pow: ([a, b], [ta, tb]) => {
    const y = lax.pow(a!, b!);
    // d/da a^b = b a^(b-1); d/db a^b = log(a) a^b, with log(0) taken as 0 so 0^b stays finite.
    // b = 0 gives 0 everywhere, also at a = 0 where b·a^(b-1) would be 0·inf = NaN (PyTorch, JAX).
    const da: MaybeZero = tmap(ta, (ta) => {
      const slope = lax.mul(b!, lax.pow(a!, lax.sub(b!, scalar(b!, 1))));
      return lax.mul(ta, lax.select(lax.compare(b!, scalar(b!, 0), 'eq'), scalar(b!, 0), slope));
    });
    const safeLog = () => {
      const isZeroBase = lax.compare(a!, scalar(a!, 0), 'eq');
      return lax.log(lax.select(isZeroBase, scalar(a!, 1), a!));
    };
    const db: MaybeZero = tmap(tb, (tb) => lax.mul(tb, lax.mul(safeLog(), y)));
    return [[y], [addMaybe(da, db, lax.add)]];
  },
  max: chooser('max', 'gt'),
  min: chooser('min', 'lt'),
  compare: zeroTangent('compare'),
  select: ([c, a, b], [, ta, tb]) => {
    const y = lax.select(c!, a!, b!);
    return [[y], [lax.select(c!, instantiate(ta!), instantiate(tb!))]];
  },
  cast: ([x], [t], p) => {
    const y = lax.cast(x!, p.dtype);
    return [
      [y],
      [p.dtype === 'f32' || p.dtype === 'f64' ? lax.cast(instantiate(t!), p.dtype) : new Zero(y.aval)],
    ];
  },
  reduce_sum: linear('reduce_sum'),
  reduce_max: ([x], [t], p) => {
    // The tangent at the maximum, shared equally among ties (JAX's chooser rule).
    const y = lax.reduceMax(x!, p.axes);
    const keptDims = x!.shape.map((_, i) => i).filter((i) => !p.axes.includes(i));
    const yb = lax.broadcastInDim(y, x!.shape, keptDims);
    const at = lax.cast(lax.compare(x!, yb, 'eq'), x!.dtype);
    const counts = lax.reduceSum(at, p.axes);
    return [[y], [lax.div(lax.reduceSum(lax.mul(instantiate(t!), at), p.axes), counts)]];
  },
  argmax: zeroTangent('argmax'),
  window_argmax: zeroTangent('window_argmax'),
  // The tangent at each window's first maximum (PyTorch's max-pool gradient), not a tie split.
  window_max: ([x], [t], p) => [
    [lax.windowMax(x!, p)],
    [lax.gather(lax.reshape(instantiate(t!), [x!.size]), lax.windowArgmax(x!, p), 0)],
  ],
  reshape: linear('reshape'),
  broadcast_in_dim: linear('broadcast_in_dim'),
  transpose: linear('transpose'),
  slice: linear('slice'),
  pad: linear('pad'),
  concatenate: linear('concatenate'),
  rev: linear('rev'),
  dot_general: ([a, b], [ta, tb], p) => {
    const da: MaybeZero = tmap(ta, (ta) => lax.dotGeneral(ta, b!, p));
    const db: MaybeZero = tmap(tb, (tb) => lax.dotGeneral(a!, tb, p));
    return [[lax.dotGeneral(a!, b!, p)], [addMaybe(da, db, lax.add)]];
  },
  conv_general: ([x, w], [tx, tw], p) => {
    const dx: MaybeZero = tmap(tx, (tx) => lax.convGeneral(tx, w!, p));
    const dw: MaybeZero = tmap(tw, (tw) => lax.convGeneral(x!, tw, p));
    return [[lax.convGeneral(x!, w!, p)], [addMaybe(dx, dw, lax.add)]];
  },
  gather: ([x, idx], [t], p) => [[lax.gather(x!, idx!, p.axis)], [lax.gather(instantiate(t!), idx!, p.axis)]],
  scatter_add: ([x, idx, u], [tx, , tu], p) => [
    [lax.scatterAdd(x!, idx!, u!, p.axis)],
    [lax.scatterAdd(instantiate(tx!), idx!, instantiate(tu!), p.axis)],
  ],
  random_bits: zeroTangent('random_bits'),
};
