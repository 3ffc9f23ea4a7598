import type { Aval } from '../core/aval.ts';
import { formatShape, sameShape } from '../core/aval.ts';
import { isFloat } from '../core/dtype.ts';
import { fullLike } from '../core/lax.ts';
import { flatten, unflatten } from '../core/pytree.ts';
import { collectTensors, withOwnedScope } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import type { ClosedJaxpr } from './jaxpr.ts';
import { stage } from './jaxpr.ts';
import { jvpFlat } from './jvp.ts';
import { backwardPass } from './transpose.ts';
import { UndefPrimal } from './transpose-rules.ts';
import type { MaybeZero } from './zero.ts';
import { instantiate } from './zero.ts';

/**
 * Reverse mode as JAX does it: linearize (jvp with the tangent computation staged into a
 * linear program, the primal computation run now), then transpose that program.
 */
export function linearizeFlat(
  fn: (args: Tensor[]) => readonly Tensor[],
  primals: readonly Tensor[],
  auxCount: () => number = () => 0,
): [Tensor[], ClosedJaxpr] {
  let primalsOut: Tensor[] = [];
  const linear = stage(
    'linearize',
    primals.map((p) => p.aval),
    (tangents) => {
      const [outs, tangentsOut] = jvpFlat(fn, primals, tangents, 'grad/vjp');
      primalsOut = outs;
      // The last `auxCount` outputs are aux: only their primal values are wanted (never tracers).
      return tangentsOut.slice(0, tangentsOut.length - auxCount()).map(instantiate);
    },
    { dynamic: false },
  );
  return [primalsOut, linear];
}

export type FlatPullback = (cts: readonly Tensor[]) => Tensor[];

function checkCotangent(op: string, ct: Tensor, out: Aval, i: number): void {
  if (!sameShape(ct.shape as readonly number[], out.shape) || ct.dtype !== out.dtype)
    throw new Error(
      `${op}: cotangent ${i} is ${ct.dtype}${formatShape(ct.shape as readonly number[])} but the output is ${out.dtype}${formatShape(out.shape)}`,
    );
}

/**
 * Outputs, the pullback, and the residuals the pullback holds on to. The last `auxCount`
 * outputs (known once `fn` ran) are auxiliary: returned as primal values, not
 * differentiated (no cotangents).
 */
export function vjpFlat(
  fn: (args: Tensor[]) => readonly Tensor[],
  primals: readonly Tensor[],
  auxCount: () => number = () => 0,
): [Tensor[], FlatPullback, readonly Tensor[]] {
  const [outs, linear] = linearizeFlat(fn, primals, auxCount);
  const outAvals = outs.slice(0, outs.length - auxCount()).map((o) => o.aval);
  const pullback: FlatPullback = (cts) => {
    if (cts.length !== outAvals.length)
      throw new Error(`vjp: expected ${outAvals.length} cotangents, got ${cts.length}`);
    cts.forEach((ct, i) => {
      checkCotangent('vjp', ct, outAvals[i]!, i);
    });
    const inCts: MaybeZero[] = backwardPass(
      linear.jaxpr,
      linear.consts,
      primals.map((p) => new UndefPrimal(p.aval)),
      cts,
    );
    return inCts.map(instantiate);
  };
  return [outs, pullback, linear.consts];
}

function checkDifferentiable(op: string, leaves: readonly Tensor[]): void {
  leaves.forEach((t, i) => {
    if (!isFloat(t.dtype))
      throw new Error(
        `${op}: cannot differentiate with respect to a ${t.dtype} input (leaf ${i}); use a float dtype`,
      );
  });
}

/**
 * Reverse mode: `vjp(f, ...primals)` returns `[f(...primals), pullback]`; `pullback(ct)` gives
 * one cotangent per primal (the vector-Jacobian product), and may be called many times.
 *
 * @param f - Any function of tensors (pytrees allowed).
 * @param primals - The arguments.
 * @returns `[outputs, pullback]`.
 *
 * @example
 * ```ts
 * import { mul, type Tensor, tensor, vjp } from 'typegrad';
 * const [y, pullback] = vjp((x: Tensor<[2]>) => mul(x, x), tensor([1, 2]));
 * const [ct] = pullback(tensor([1, 1]));
 * console.log(y.toArray(), ct.toArray()); // [1, 4] [2, 4]
 * ```
 */
export function vjp<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  ...primals: Args
): [Out, (ct: Out) => Args] {
  const [leaves, inDef] = flatten(primals);
  checkDifferentiable('vjp', leaves);
  let outDef = flatten(undefined)[1];
  const keep = new Set<Tensor>();
  const [outs, pullbackFlat] = withOwnedScope(
    () => {
      const r = vjpFlat((xs) => {
        const [outLeaves, def] = flatten(f(...unflatten<Args>(inDef, xs)));
        outDef = def;
        return outLeaves;
      }, leaves);
      return r;
    },
    ([o, , residuals]) => {
      for (const t of [...o, ...residuals]) keep.add(t);
      return keep;
    },
  );
  // Residuals live as long as the pullback: the linear program's constants are kept above.
  const pullback = (ct: Out): Args => {
    const [ctLeaves] = flatten(ct);
    const grads = withOwnedScope(
      () => pullbackFlat(ctLeaves),
      (g) => g,
    );
    return unflatten<Args>(inDef, grads);
  };
  return [unflatten<Out>(outDef, outs), pullback];
}

export interface GradOptions {
  /** which positional arguments to differentiate (default 0) */
  readonly argnums?: number | readonly number[];
  /** the function returns [scalar, aux]; aux is passed through undifferentiated */
  readonly hasAux?: boolean;
}

/** The core of grad/valueAndGrad: value, aux and gradients for the selected arguments. */
export function valueAndGradImpl(
  op: string,
  f: (...args: unknown[]) => unknown,
  args: readonly unknown[],
  opts: GradOptions,
): { value: Tensor; aux: unknown; grads: unknown } {
  const argnums = opts.argnums ?? 0;
  const nums = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const n of nums)
    if (!Number.isInteger(n) || n < 0 || n >= args.length)
      throw new Error(`${op}: argnums ${n} out of range for ${args.length} arguments`);
  const [leaves, def] = flatten(nums.map((n) => args[n]));
  checkDifferentiable(op, leaves);
  // Aux leaves travel as extra outputs of the linearised function, so they come back as
  // primal values rather than as tracers of the (finished) grad transform.
  let auxDef = flatten(undefined)[1];
  let auxCount = 0;
  const call = (xs: Tensor[]): Tensor[] => {
    const selected = unflatten<unknown[]>(def, xs);
    const full = args.slice();
    nums.forEach((n, i) => {
      full[n] = selected[i];
    });
    const result = f(...full);
    let out: unknown = result;
    let auxLeaves: Tensor[] = [];
    if (opts.hasAux) {
      if (!Array.isArray(result) || result.length !== 2)
        throw new Error(`${op}: with hasAux the function must return [scalar, aux]`);
      out = result[0];
      [auxLeaves, auxDef] = flatten(result[1]);
      auxCount = auxLeaves.length;
    }
    if (!isTensor(out) || out.shape.length !== 0 || !isFloat(out.dtype))
      throw new Error(
        `${op}: the function must return a float scalar, got ${isTensor(out) ? out.describe() : typeof out}`,
      );
    return [out, ...auxLeaves];
  };
  return withOwnedScope(
    () => {
      const [outs, pullback] = vjpFlat(call, leaves, () => auxCount);
      const value = outs[0]!;
      const g = pullback([fullLike(value.aval, 1)]);
      const selected = unflatten<unknown[]>(def, g);
      const aux = opts.hasAux ? unflatten(auxDef, outs.slice(1)) : undefined;
      return { value, aux, grads: typeof argnums === 'number' ? selected[0] : selected };
    },
    (r) => {
      const keep = new Set<Tensor>();
      collectTensors(r, keep, isTensor);
      return keep;
    },
  );
}
