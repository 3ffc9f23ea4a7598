/**
 * Asynchronous evaluation of a program, for primitives that must read a value on the host
 * while the program runs (`while`: its condition, once per iteration) on a backend that reads
 * only asynchronously (WebGPU: a buffer mapping). Every other equation runs exactly as in
 * `evalJaxpr` (the same fused kernels and free schedule); an equation with an async
 * implementation is awaited in program order. `jit(f).async(…)` evaluates through here.
 */
import type { FusedKernel } from '../backends/backend.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { currentLevel } from '../core/trace.ts';
import { Evaluation, type Jaxpr } from './jaxpr.ts';

/** A primitive's concrete implementation that awaits (reads values) as it runs. */
export type AsyncImpl = (args: readonly Tensor[], params: Params) => Promise<Tensor[]>;

const asyncImpls = new Map<string, AsyncImpl>();

/** Registers the async implementation `evalJaxprAsync` uses for `prim` (its sync one stays for `bind`). */
export function registerAsyncImpl(prim: string, impl: AsyncImpl): void {
  asyncImpls.set(prim, impl);
}

/**
 * `evalJaxpr`, awaiting the equations whose primitive has an async implementation (a
 * `while`); concrete inputs only (outside every transform).
 */
export async function evalJaxprAsync(
  jaxpr: Jaxpr,
  consts: readonly Tensor[],
  args: readonly Tensor[],
  fused: readonly FusedKernel[] = [],
): Promise<Tensor[]> {
  if (currentLevel() > 0)
    throw new Error('evalJaxprAsync: evaluates concrete values only, not inside a transform');
  const run = new Evaluation(jaxpr, consts, args, fused);
  for (let i = 0; i < jaxpr.eqns.length; i++) {
    const impl = asyncImpls.get(jaxpr.eqns[i]!.prim);
    if (impl && !run.isFused(i)) run.step(i, await impl(run.inputs(i), jaxpr.eqns[i]!.params));
    else run.step(i);
  }
  return run.outputs();
}
