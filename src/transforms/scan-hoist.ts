/**
 * Hoisting a transposed scan's weight-gradient sums out of its loop. The backward scan of an
 * RNN accumulates each weight's cotangent step by step, `acc += xᵀ·dy` (a small product with
 * the batch as its depth, then an add over the whole weight); the sum over steps of those
 * products is one product over the stacked factors with the step axis contracted too,
 * Σ_t x_tᵀ·dy_t = Xᵀ·DY over (T, B). So the loop emits the per-step factors as stacked
 * outputs (or reads them from an xs it already scans) and one large product runs after it:
 * two GEMMs of depth T·B instead of 2T of depth B and 2T weight-sized adds. Bias gradients
 * (`acc += reduce_sum(dy)`) become one reduction over the stack likewise.
 */
import * as lax from '../core/lax.ts';
import type { PrimParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Eqn, Jaxpr, Var } from './jaxpr.ts';

/** How one accumulator's per-step term is formed from per-step factors. */
type Term =
  | { readonly kind: 'dot'; readonly params: PrimParams['dot_general']; readonly perm?: readonly number[] }
  | { readonly kind: 'sum'; readonly axes: readonly number[] };

/** A hoisted accumulator: its term, and where each factor comes from after the loop. */
export interface Hoisted {
  /** The accumulator's index among the body's accumulators. */
  readonly acc: number;
  readonly term: Term;
  /** Per factor: an index into the body's xs inputs (read as scanned), or into the new ys. */
  readonly factors: readonly ({ readonly xs: number } | { readonly ys: number })[];
}

/** The layout of a transposed scan body: where its accumulators and xs sit. */
export interface AccLayout {
  /** Index in inVars of the first accumulator (carry), and how many. */
  readonly accIn: number;
  readonly numAcc: number;
  /** Index in outVars of the first accumulator. */
  readonly accOut: number;
  /** Index in inVars of the first xs input (the consts end at `constsEnd`, the carries between). */
  readonly xsIn: number;
  readonly constsEnd: number;
}

/**
 * Rewrites `body` so accumulators whose per-step term is a dot_general without batch dims
 * (optionally transposed) or a reduce_sum leave the loop: their carries and adds are
 * removed, their factors appended to the outputs (unless they are xs inputs). Returns the
 * new body and the hoisted accumulators (in accumulator order); none when nothing applies.
 */
export function hoistAccumulators(body: Jaxpr, layout: AccLayout): { body: Jaxpr; hoisted: Hoisted[] } {
  const producer = new Map<Var, Eqn>();
  const uses = new Map<Var, number>();
  for (const e of body.eqns) {
    for (const o of e.outs) producer.set(o, e);
    for (const v of e.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
  }
  for (const v of body.outVars) uses.set(v, (uses.get(v) ?? 0) + 1);
  const onlyUse = (v: Var) => uses.get(v) === 1;
  const hoisted: Hoisted[] = [];
  const dropped = new Set<Eqn>();
  const newYs: Var[] = [];
  for (let j = 0; j < layout.numAcc; j++) {
    const accVar = body.inVars[layout.accIn + j]!;
    const add = producer.get(body.outVars[layout.accOut + j]!);
    if (add?.prim !== 'add' || !onlyUse(accVar) || !onlyUse(add.outs[0]!)) continue;
    const term = add.inputs[0] === accVar ? add.inputs[1]! : add.inputs[0]!;
    if (term === accVar || !add.inputs.includes(accVar) || !onlyUse(term)) continue;
    const found = termOf(producer.get(term), producer, onlyUse);
    if (!found) continue;
    // A loop-invariant factor (a const) would be restacked every step: keep that sum in the loop.
    if (
      found.factors.some((v) => {
        const at = body.inVars.indexOf(v);
        return at >= 0 && at < layout.constsEnd;
      })
    )
      continue;
    const factors = found.factors.map((v) => {
      const at = body.inVars.indexOf(v);
      if (at >= layout.xsIn) return { xs: at - layout.xsIn };
      if (!newYs.includes(v)) newYs.push(v);
      return { ys: newYs.indexOf(v) };
    });
    hoisted.push({ acc: j, term: found.term, factors });
    dropped.add(add);
  }
  if (hoisted.length === 0) return { body, hoisted };
  const isHoisted = (j: number) => hoisted.some((h) => h.acc === j);
  const inVars = body.inVars.filter(
    (_, i) => !(i >= layout.accIn && i < layout.accIn + layout.numAcc && isHoisted(i - layout.accIn)),
  );
  const outVars = [
    ...body.outVars.filter(
      (_, i) => !(i >= layout.accOut && i < layout.accOut + layout.numAcc && isHoisted(i - layout.accOut)),
    ),
    ...newYs,
  ];
  return {
    body: deadCodeFree({ constVars: [], inVars, eqns: body.eqns.filter((e) => !dropped.has(e)), outVars }),
    hoisted,
  };
}

/** The term an equation computes from per-step factors, if it is one that hoists. */
function termOf(
  e: Eqn | undefined,
  producer: ReadonlyMap<Var, Eqn>,
  onlyUse: (v: Var) => boolean,
): { term: Term; factors: readonly Var[] } | undefined {
  if (!e) return undefined;
  if (e.prim === 'reduce_sum') {
    return { term: { kind: 'sum', axes: (e.params as PrimParams['reduce_sum']).axes }, factors: e.inputs };
  }
  let perm: readonly number[] | undefined;
  let dot = e;
  if (e.prim === 'transpose') {
    const inner = producer.get(e.inputs[0]!);
    if (!inner || !onlyUse(e.inputs[0]!)) return undefined;
    perm = (e.params as PrimParams['transpose']).perm;
    dot = inner;
  }
  if (dot.prim !== 'dot_general') return undefined;
  const params = dot.params as PrimParams['dot_general'];
  if (params.lhsBatch.length > 0) return undefined;
  return { term: { kind: 'dot', params, ...(perm ? { perm } : {}) }, factors: dot.inputs };
}

/**
 * Drops equations none of whose outputs is read (every primitive is pure).
 *
 * @example
 * const primal = deadCodeFree({ constVars: [], inVars, eqns, outVars });
 */
export function deadCodeFree(j: Jaxpr): Jaxpr {
  const live = new Set<Var>(j.outVars);
  const kept: Eqn[] = [];
  for (let i = j.eqns.length - 1; i >= 0; i--) {
    const e = j.eqns[i]!;
    if (!e.outs.some((o) => live.has(o))) continue;
    kept.push(e);
    for (const v of e.inputs) live.add(v);
  }
  return { ...j, eqns: kept.reverse() };
}

/**
 * A hoisted accumulator's total after the loop: its term over the stacked factors, the step
 * axis (leading) contracted or summed along with the per-step ones.
 */
export function hoistedTotal(h: Hoisted, xs: readonly Tensor[], ys: readonly Tensor[]): Tensor {
  const stacked = h.factors.map((f) => ('xs' in f ? xs[f.xs]! : ys[f.ys]!));
  const shift = (axes: readonly number[]) => [0, ...axes.map((a) => a + 1)];
  if (h.term.kind === 'sum') return lax.reduceSum(stacked[0]!, shift(h.term.axes));
  const p = h.term.params;
  const r = lax.dotGeneral(stacked[0]!, stacked[1]!, {
    lhsContract: shift(p.lhsContract),
    rhsContract: shift(p.rhsContract),
    lhsBatch: [],
    rhsBatch: [],
  });
  return h.term.perm ? lax.transpose(r, h.term.perm) : r;
}
