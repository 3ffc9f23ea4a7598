import type { Aval } from '../core/aval.ts';
import { registerImpl } from '../core/eval.ts';
import type { TreeDef } from '../core/pytree.ts';
import { flatten, unflatten } from '../core/pytree.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { bind } from '../core/trace.ts';
import { toFront } from './batch-rules.ts';
import { registerBatchRule, vmapFlat } from './batching.ts';
import { registerAbstractEval, stage } from './jaxpr.ts';
import { registerJvpRule } from './jvp.ts';
import { registerTransposeRule } from './transpose.ts';
import { instantiate } from './zero.ts';

/**
 * `customVjp(f, fwd, bwd)`: f with a user-supplied backward rule, as JAX's custom_vjp.
 * Under differentiation, `fwd` runs instead of f and saves residuals; the tangent is a
 * `custom_lin` primitive, linear in the input tangents, whose transpose calls `bwd`.
 * Forward mode (jvp) of such a function is an error, as in JAX.
 */
interface CustomParams {
  readonly call: (xs: Tensor[]) => Tensor[];
  readonly fwd: (xs: Tensor[]) => [Tensor[], Tensor[]];
  readonly bwd: (res: Tensor[], cts: Tensor[]) => Tensor[];
  readonly outAvals: readonly Aval[];
}
const C = (p: Params) => p as unknown as CustomParams;

registerImpl('custom_vjp_call', (args, p) => C(p).call([...args]));
registerAbstractEval('custom_vjp_call', (_in, p) => [...C(p).outAvals]);
// Batching keeps the custom rule: call, fwd and bwd are each vmapped over a leading axis.
registerBatchRule('custom_vjp_call', (args, dims, p) => {
  const { call, fwd, bwd, outAvals } = C(p);
  const size = sizeOf(args, dims);
  const front = args.map((a, i) => toFront(a, dims[i]!, size));
  const mapped = (fn: (xs: Tensor[]) => Tensor[], xs: readonly Tensor[]) =>
    vmapFlat(
      fn,
      xs,
      xs.map(() => 0),
      0,
      size,
    );
  const batched: CustomParams = {
    call: (xs) => mapped(call, xs),
    fwd: (xs) => {
      const flat = mapped((ys) => {
        const [outs, res] = fwd(ys);
        return [...outs, ...res];
      }, xs);
      return [flat.slice(0, outAvals.length), flat.slice(outAvals.length)];
    },
    bwd: (res, cts) => mapped((zs) => bwd(zs.slice(0, res.length), zs.slice(res.length)), [...res, ...cts]),
    outAvals: outAvals.map((a) => ({ shape: [size, ...a.shape], dtype: a.dtype })),
  };
  return [bind('custom_vjp_call', front, batched as unknown as Params), outAvals.map(() => 0)];
});
registerJvpRule('custom_vjp_call', (primals, tangents, p) => {
  const { fwd, bwd, outAvals } = C(p);
  const [outs, res] = fwd([...primals]);
  const touts = bind('custom_lin', [...res, ...tangents.map(instantiate)], {
    numRes: res.length,
    bwd,
    outAvals,
  });
  return [outs, touts];
});

interface LinParams {
  readonly numRes: number;
  readonly bwd: CustomParams['bwd'];
  readonly outAvals: readonly Aval[];
}
const L = (p: Params) => p as unknown as LinParams;
registerImpl('custom_lin', () => {
  throw new Error(
    'jvp: forward-mode differentiation of a customVjp function is not supported (use grad/vjp)',
  );
});
registerAbstractEval('custom_lin', (_in, p) => [...L(p).outAvals]);
registerTransposeRule('custom_lin', (cts, args, p) => {
  const { numRes, bwd } = L(p);
  const res = args.slice(0, numRes) as Tensor[];
  const inCts = bwd(res, cts.map(instantiate));
  return [...res.map(() => null), ...inCts];
});

function sizeOf(args: readonly Tensor[], dims: readonly (number | null)[]): number {
  const i = dims.findIndex((d) => d !== null);
  return args[i]!.shape[dims[i]!] as number;
}

/**
 * Wraps `f` with a custom backward rule, as JAX's `custom_vjp`: under differentiation `fwd`
 * runs instead of `f` and returns `[out, residuals]`; `bwd(residuals, ct)` returns one
 * cotangent per argument. Forward mode (`jvp`) of such a function is an error, as in JAX.
 *
 * @param f - The function, as run without differentiation.
 * @param fwd - `f` that also returns the residuals `bwd` needs.
 * @param bwd - The backward rule: residuals and the output cotangent to argument cotangents.
 * @returns A function like `f` whose gradient is `bwd`'s.
 *
 * @example
 * ```ts
 * import { customVjp, grad, mul, sum, type Tensor, tensor } from 'typegrad';
 * // the identity, with its gradient doubled
 * const f = customVjp(
 *   (x: Tensor<[2]>) => mul(x, 1),
 *   (x) => [mul(x, 1), null] as const,
 *   (_res, ct): [Tensor<[2]>] => [mul(ct, 2)],
 * );
 * console.log(grad((x: Tensor<[2]>) => sum(f(x)))(tensor([1, 2])).toArray()); // [2, 2]
 * ```
 */
export function customVjp<Args extends unknown[], Out, Res>(
  f: (...args: Args) => Out,
  fwd: (...args: Args) => readonly [Out, Res],
  bwd: (res: Res, ct: Out) => Args,
): (...args: Args) => Out {
  return (...args: Args) => {
    const [leaves, inDef] = flatten(args);
    let outDef: TreeDef | undefined;
    let resDef: TreeDef | undefined;
    const call = (xs: Tensor[]) => {
      const [o, d] = flatten(f(...unflatten<Args>(inDef, xs)));
      outDef = d;
      return o;
    };
    // The output avals, by tracing f abstractly (nothing is computed).
    const outAvals = stage(
      'customVjp',
      leaves.map((l) => l.aval),
      call,
      { dynamic: true },
    ).jaxpr.outVars.map((v) => v.aval);
    const params: CustomParams = {
      call,
      fwd: (xs) => {
        const [out, res] = fwd(...unflatten<Args>(inDef, xs));
        const [r, rd] = flatten(res);
        resDef = rd;
        return [flatten(out)[0], r];
      },
      bwd: (res, cts) => {
        const g = bwd(unflatten<Res>(resDef!, res), unflatten<Out>(outDef!, cts));
        const [gl] = flatten(g);
        if (gl.length !== leaves.length)
          throw new Error(`customVjp: bwd returned ${gl.length} cotangents for ${leaves.length} inputs`);
        return gl;
      },
      outAvals,
    };
    return unflatten<Out>(outDef!, bind('custom_vjp_call', leaves, params as unknown as Params));
  };
}
