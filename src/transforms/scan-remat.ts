/**
 * Residuals a scan's tangent loop recomputes instead of the primal loop stacking them. The
 * jvp of an LSTM step keeps σ(z) and also σ(z)·(1 − σ(z)), tanh(c) and 1 − tanh²(c): five of
 * its twelve per-step residuals are elementwise functions of the others. Stacking each costs
 * the primal loop a kernel and a copy per step, and a [T, B, H] buffer; recomputed, each is
 * one more term inside a fused elementwise loop of the tangent (and transposed) step.
 *
 * A per-step residual is recomputed when it is the result of a short chain of arithmetic
 * equations (and broadcasts) whose leaves are residuals that stay stacked, or the primal
 * scan's consts or xs (which the tangent scan then also reads).
 */
import type { Eqn, Var } from './jaxpr.ts';

/**
 * Equations a recomputing chain may hold: arithmetic and broadcasts. Transcendentals (tanh,
 * exp, …) cost more per element than the store and load of their stacked value.
 */
const CHEAP = new Set<string>([
  'neg',
  'abs',
  'sign',
  'add',
  'sub',
  'mul',
  'div',
  'max',
  'min',
  'broadcast_in_dim',
]);
/** The most equations one recomputed residual may take (each is a term in a fused loop). */
const MAX_CHAIN = 6;

/** Where a leaf of a recomputed chain comes from. */
export interface RematInputs {
  /** The primal step's inputs the tangent scan may read: its consts and xs (not its carry). */
  readonly isStepInput: (v: Var) => boolean;
}

/** The residuals to recompute, the equations that recompute them, and the inputs they read. */
export interface Remat {
  readonly recomputed: ReadonlySet<Var>;
  /** In the primal body's order (each reads only leaves and earlier ones). */
  readonly eqns: readonly Eqn[];
  /** Primal step inputs the chains read (consts and xs slices) that were not residuals yet. */
  readonly inputs: readonly Var[];
}

/**
 * Chooses residuals among `stepResiduals` (values computed by `knownEqns` each step) that
 * the tangent loop can recompute from the others and from the step's consts and xs.
 *
 * @example
 * const remat = chooseRemat(pe.knownEqns, stepResiduals, pe.residuals, { isStepInput });
 */
export function chooseRemat(
  knownEqns: readonly Eqn[],
  stepResiduals: readonly Var[],
  residuals: readonly Var[],
  at: RematInputs,
): Remat {
  const producer = new Map<Var, Eqn>();
  for (const e of knownEqns) for (const o of e.outs) producer.set(o, e);
  const recomputed = new Set<Var>();
  // Residuals read by a chosen chain stay stacked.
  const pinned = new Set<Var>();
  const chosen = new Set<Eqn>();
  const inputs: Var[] = [];
  for (const r of stepResiduals) {
    if (pinned.has(r)) continue;
    const chain = new Set<Eqn>();
    const leaves = new Set<Var>();
    const ok = (v: Var, top: boolean): boolean => {
      if (!top && residuals.includes(v) && !recomputed.has(v)) {
        leaves.add(v);
        return true;
      }
      const e = producer.get(v);
      if (!e) {
        if (!at.isStepInput(v)) return false;
        leaves.add(v);
        return true;
      }
      if (chain.has(e)) return true;
      if (!CHEAP.has(e.prim) || e.outs.length !== 1) return false;
      chain.add(e);
      return chain.size <= MAX_CHAIN && e.inputs.every((u) => ok(u, false));
    };
    if (!ok(r, true)) continue;
    recomputed.add(r);
    for (const e of chain) chosen.add(e);
    for (const v of leaves) {
      if (residuals.includes(v)) pinned.add(v);
      else if (!inputs.includes(v)) inputs.push(v);
    }
  }
  return { recomputed, eqns: knownEqns.filter((e) => chosen.has(e)), inputs };
}
