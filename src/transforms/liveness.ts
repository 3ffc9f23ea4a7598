/**
 * When a program's intermediates can be freed. Evaluating a jaxpr eagerly (a `jit` call, a
 * scan step) frees each buffer a backend primitive or fused kernel made right after its last
 * reader runs, instead of when the call's scope closes: the step's peak memory drops to what
 * is live at once, and the CPU buffer pool hands the same (cache-warm) buffers to later ops
 * of the same step. Outputs, inputs and constants are never freed here, nor what structured
 * primitives (scan, nested jit, custom derivatives) return, which may alias their constants.
 */
import type { FusedKernel } from '../backends/backend.ts';
import { isBackendPrim } from '../core/eval.ts';
import type { Jaxpr, Var } from './jaxpr.ts';

/** Per executed step (an equation, or a fused kernel at its last equation): the vars to free after it. */
export type FreeSchedule = ReadonlyMap<number, readonly Var[]>;

const cache = new WeakMap<object, FreeSchedule>();

/** The schedule of `jaxpr` under the fused plan `fused` (cached per plan, or per program when unfused). */
export function freeSchedule(jaxpr: Jaxpr, fused: readonly FusedKernel[]): FreeSchedule {
  const key = fused.length > 0 ? fused : jaxpr;
  let s = cache.get(key);
  if (!s) {
    s = computeSchedule(jaxpr, fused);
    cache.set(key, s);
  }
  return s;
}

function computeSchedule(jaxpr: Jaxpr, fused: readonly FusedKernel[]): FreeSchedule {
  const fusedAt = new Map<number, FusedKernel>();
  const inFused = new Set<number>();
  for (const k of fused) {
    fusedAt.set(k.eqns[k.eqns.length - 1]!, k);
    for (const i of k.eqns) inFused.add(i);
  }
  // Vars made by backend kernels: the only ones this evaluation may free.
  const freeable = new Set<Var>();
  const lastUse = new Map<Var, number>();
  jaxpr.eqns.forEach((eqn, i) => {
    const k = fusedAt.get(i);
    if (k) {
      for (const v of k.inputs) lastUse.set(v as Var, i);
      freeable.add(k.output as Var);
      return;
    }
    if (inFused.has(i)) return;
    for (const v of eqn.inputs) lastUse.set(v, i);
    if (isBackendPrim(eqn.prim)) for (const v of eqn.outs) freeable.add(v);
  });
  for (const v of jaxpr.outVars) freeable.delete(v);
  const after = new Map<number, Var[]>();
  for (const [v, i] of lastUse) {
    if (!freeable.has(v)) continue;
    const list = after.get(i);
    if (list) list.push(v);
    else after.set(i, [v]);
  }
  return after;
}
