import * as lax from '../core/lax.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { bind } from '../core/trace.ts';
import type { Jaxpr, Var } from './jaxpr.ts';
import type { LinearArg } from './transpose-rules.ts';
import { transposeRules, UndefPrimal } from './transpose-rules.ts';
import type { MaybeZero } from './zero.ts';
import { addMaybe, instantiate, isZero, Zero } from './zero.ts';

/**
 * Transposition of a linear program: runs it backwards, turning output cotangents into
 * input cotangents with each primitive's transpose rule (the reverse pass of vjp).
 */
export type StructuredTransposeRule = (
  cts: readonly MaybeZero[],
  args: readonly LinearArg[],
  params: Params,
) => (MaybeZero | null)[];
const structuredRules = new Map<string, StructuredTransposeRule>();

export function registerTransposeRule(prim: string, rule: StructuredTransposeRule): void {
  structuredRules.set(prim, rule);
}

function transposeEqn(
  prim: string,
  cts: readonly MaybeZero[],
  args: readonly LinearArg[],
  params: Params,
): (MaybeZero | null)[] {
  const structured = structuredRules.get(prim);
  if (structured) return structured(cts, args, params);
  const rule = (
    transposeRules as unknown as Record<
      string,
      ((ct: Tensor, a: readonly LinearArg[], p: Params) => (Tensor | null)[]) | undefined
    >
  )[prim];
  if (!rule)
    throw new Error(
      `vjp: primitive '${prim}' is not linear in the differentiated inputs (no transpose rule)`,
    );
  return rule(instantiate(cts[0]!), args, params);
}

/**
 * `linearIn` marks which inputs are linear (the others are known values in `args`).
 * Returns a cotangent for each input (Zero where nothing flowed).
 */
export function backwardPass(
  jaxpr: Jaxpr,
  consts: readonly Tensor[],
  args: readonly LinearArg[],
  cts: readonly MaybeZero[],
): MaybeZero[] {
  const known = new Map<Var, Tensor>();
  const linear = new Set<Var>();
  jaxpr.constVars.forEach((v, i) => {
    known.set(v, consts[i]!);
  });
  jaxpr.inVars.forEach((v, i) => {
    const a = args[i]!;
    if (a instanceof UndefPrimal) linear.add(v);
    else known.set(v, a);
  });
  // Forward: evaluate the non-linear equations; mark the linear ones.
  const linearEqns = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some((v) => linear.has(v))) {
      for (const o of eqn.outs) linear.add(o);
      linearEqns.push(eqn);
    } else {
      const outs = bind(
        eqn.prim,
        eqn.inputs.map((v) => known.get(v)!),
        eqn.params,
      );
      eqn.outs.forEach((v, i) => {
        known.set(v, outs[i]!);
      });
    }
  }
  const ctEnv = new Map<Var, MaybeZero>();
  const accumulate = (v: Var, ct: MaybeZero | null) => {
    if (ct === null || !linear.has(v)) return;
    ctEnv.set(v, addMaybe(ctEnv.get(v), ct, lax.add));
  };
  jaxpr.outVars.forEach((v, i) => {
    accumulate(v, cts[i]!);
  });
  for (let k = linearEqns.length - 1; k >= 0; k--) {
    const eqn = linearEqns[k]!;
    const outCts = eqn.outs.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
    if (outCts.every(isZero)) continue;
    const eqnArgs = eqn.inputs.map(
      (v): LinearArg => (linear.has(v) ? new UndefPrimal(v.aval) : known.get(v)!),
    );
    const inCts = transposeEqn(eqn.prim, outCts, eqnArgs, eqn.params);
    eqn.inputs.forEach((v, i) => {
      accumulate(v, inCts[i] ?? null);
    });
  }
  return jaxpr.inVars.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
}
