/**
 * Sums of zero-padded pieces that tile a value become one `concatenate`. The transpose of
 * `slice` is `pad`, so the cotangent of an LSTM's gate pre-activation z [B, 4H] (sliced
 * into its four gates) arrives as four [B, 4H] pads of the gate cotangents, summed: four
 * pad kernels and an add over four times the value, where one concatenation of the four
 * pieces writes each element once. The sum and the concatenation are equal (each element
 * is one piece's value plus zeros).
 */
import type { PrimParams } from '../core/primitives.ts';
import type { Eqn, Jaxpr, Var } from './jaxpr.ts';
import { deadCodeFree } from './scan-hoist.ts';

/** One padded piece: its operand and where it sits along the padded axis. */
interface Piece {
  readonly x: Var;
  readonly axis: number;
  readonly lo: number;
}

/**
 * `j` with each add-tree of single-use pads that tile its output along one axis (no
 * interior padding, no overlap, no gap) replaced by a `concatenate` of the pieces.
 *
 * @example
 * const backward = padSumsToConcat(transposedBody); // LSTM gate cotangents: one concatenate
 */
export function padSumsToConcat(j: Jaxpr): Jaxpr {
  const producer = new Map<Var, Eqn>();
  const uses = new Map<Var, number>();
  for (const e of j.eqns) {
    for (const o of e.outs) producer.set(o, e);
    for (const v of e.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
  }
  for (const v of j.outVars) uses.set(v, (uses.get(v) ?? 0) + 1);
  const single = (v: Var) => uses.get(v) === 1;
  // The pieces of an add-tree rooted at v (undefined if a leaf is not a tiling pad).
  const pieces = (v: Var, out: Piece[]): boolean => {
    const e = producer.get(v);
    if (e?.prim === 'add') return e.inputs.every((u) => single(u) && pieces(u, out));
    if (e?.prim !== 'pad') return false;
    const p = e.params as PrimParams['pad'];
    const padded = p.lo.flatMap((lo, d) => (lo !== 0 || p.hi[d] !== 0 ? [d] : []));
    if (
      p.interior.some((n) => n !== 0) ||
      padded.length > 1 ||
      p.lo.some((n) => n < 0) ||
      p.hi.some((n) => n < 0)
    )
      return false;
    out.push({ x: e.inputs[0]!, axis: padded[0] ?? -1, lo: padded.length ? p.lo[padded[0]!]! : 0 });
    return true;
  };
  let changed = false;
  const eqns = j.eqns.map((e) => {
    if (e.prim !== 'add') return e;
    // only roots: an add read by another add of the same tree is replaced with its root
    const found: Piece[] = [];
    if (!pieces(e.outs[0]!, found) || found.length < 2) return e;
    const axis = found[0]!.axis;
    if (axis < 0 || found.some((q) => q.axis !== axis)) return e;
    found.sort((a, b) => a.lo - b.lo);
    let at = 0;
    for (const q of found) {
      if (q.lo !== at) return e;
      at += q.x.aval.shape[axis] as number;
    }
    if (at !== e.outs[0]!.aval.shape[axis]) return e;
    changed = true;
    return { prim: 'concatenate', inputs: found.map((q) => q.x), params: { axis }, outs: e.outs };
  });
  return changed ? deadCodeFree({ ...j, eqns }) : j;
}
