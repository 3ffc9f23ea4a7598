import type { FloatDType } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import { flatten, unflatten } from '../core/pytree.ts';
import { withOwnedScope } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import { isTensor } from '../core/tensor.ts';
import { vmapFlat } from './batching.ts';
import { jvpFlat } from './jvp.ts';
import type { GradOptions } from './vjp.ts';
import { valueAndGradImpl, vjpFlat } from './vjp.ts';
import { instantiate } from './zero.ts';

/** A float scalar, what `grad` differentiates. */
export type Scalar = Tensor<[], FloatDType>;

/** The gradient type: exactly the type of the selected argument(s). */
export type Selected<Args extends readonly unknown[], N> = N extends number
  ? Args[N]
  : N extends readonly number[]
    ? { -readonly [K in keyof N]: Args[N[K] & number] }
    : Args[0];

/**
 * Which positional arguments `grad` and `valueAndGrad` differentiate: one index or several.
 */
export type Argnums = number | readonly number[];

const GRAD_KEYS = optionKeys<GradOptions>({ argnums: true, hasAux: true });

/**
 * `grad(f)` returns a function computing the gradient of the scalar function `f` w.r.t.
 * argument 0 (or those in `argnums`), by reverse mode. The gradient has exactly the type
 * (shape and pytree structure) of the argument; with `hasAux`, `f` returns `[scalar, aux]`
 * and the function returns `[grads, aux]`.
 *
 * @param f - A function returning a float scalar (`Tensor<[]>`).
 * @param opts - `argnums` (default 0) and `hasAux`.
 * @returns A function of `f`'s arguments returning the gradient(s).
 *
 * @example
 * ```ts
 * import { grad, mul, sum, type Tensor, tensor } from 'typegrad';
 * const f = (x: Tensor<[3]>) => sum(mul(x, x));
 * console.log(grad(f)(tensor([1, 2, 3])).toArray()); // [2, 4, 6]
 * const g = grad((w: Tensor<[]>, x: Tensor<[]>) => mul(w, x), { argnums: [0, 1] });
 * console.log(g(tensor(2), tensor(5)).map((t) => t.item())); // [5, 2]
 * ```
 */
export function grad<Args extends unknown[], const N extends Argnums = 0>(
  f: (...args: Args) => Scalar,
  opts?: { readonly argnums?: N; readonly hasAux?: false },
): (...args: Args) => Selected<Args, N>;
export function grad<Args extends unknown[], Aux, const N extends Argnums = 0>(
  f: (...args: Args) => readonly [Scalar, Aux],
  opts: { readonly argnums?: N; readonly hasAux: true },
): (...args: Args) => [Selected<Args, N>, Aux];
export function grad(f: (...args: unknown[]) => unknown, opts: GradOptions = {}) {
  checkOptions('grad', opts, GRAD_KEYS);
  return (...args: unknown[]) => {
    const r = valueAndGradImpl('grad', f, args, opts);
    // grad returns no value: free it, unless it is one of the caller's own tensors.
    if (!flatten(args)[0].includes(r.value)) r.value.dispose();
    return opts.hasAux ? [r.grads, r.aux] : r.grads;
  };
}

/**
 * Like `grad`, also returning the value: `[value, grads]` (with `hasAux`:
 * `[[value, aux], grads]`), from one forward pass.
 *
 * @param f - A function returning a float scalar (`Tensor<[]>`).
 * @param opts - `argnums` (default 0) and `hasAux`.
 * @returns A function of `f`'s arguments returning `[value, grads]`.
 *
 * @example
 * ```ts
 * import { mul, sum, type Tensor, tensor, valueAndGrad } from 'typegrad';
 * const [value, g] = valueAndGrad((x: Tensor<[2]>) => sum(mul(x, x)))(tensor([1, 2]));
 * console.log(value.item(), g.toArray()); // 5 [2, 4]
 * ```
 */
export function valueAndGrad<Args extends unknown[], const N extends Argnums = 0>(
  f: (...args: Args) => Scalar,
  opts?: { readonly argnums?: N; readonly hasAux?: false },
): (...args: Args) => [Scalar, Selected<Args, N>];
export function valueAndGrad<Args extends unknown[], Aux, const N extends Argnums = 0>(
  f: (...args: Args) => readonly [Scalar, Aux],
  opts: { readonly argnums?: N; readonly hasAux: true },
): (...args: Args) => [[Scalar, Aux], Selected<Args, N>];
export function valueAndGrad(f: (...args: unknown[]) => unknown, opts: GradOptions = {}) {
  checkOptions('valueAndGrad', opts, GRAD_KEYS);
  return (...args: unknown[]) => {
    const r = valueAndGradImpl('valueAndGrad', f, args, opts);
    return opts.hasAux ? [[r.value, r.aux], r.grads] : [r.value, r.grads];
  };
}

/**
 * Forward mode: `jvp(f, primals, tangents)` returns `[f(...primals), directional
 * derivative]`, the derivative of `f` at `primals` along `tangents` (one pass, no tape).
 *
 * @param f - Any function of tensors (pytrees allowed).
 * @param primals - The arguments, as an array.
 * @param tangents - One tangent per argument, of the same shapes.
 * @returns `[outputs, output tangents]`.
 *
 * @example
 * ```ts
 * import { jvp, mul, type Tensor, tensor } from 'typegrad';
 * const [y, dy] = jvp((x: Tensor<[2]>) => mul(x, x), [tensor([1, 2])], [tensor([1, 0])]);
 * console.log(y.toArray(), dy.toArray()); // [1, 4] [2, 0]
 * ```
 */
export function jvp<Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  primals: Args,
  tangents: Args,
): [Out, Out] {
  const [pl, pdef] = flatten(primals);
  const [tl] = flatten(tangents);
  if (pl.length !== tl.length)
    throw new Error(`jvp: ${pl.length} primal leaves but ${tl.length} tangent leaves`);
  pl.forEach((p, i) => {
    const t = tl[i]!;
    if (p.describe() !== t.describe())
      throw new Error(`jvp: tangent ${i} is ${t.describe()} but its primal is ${p.describe()}`);
  });
  let outDef = flatten(undefined)[1];
  // Owned: intermediates are freed when jvp returns, and on the error path too.
  const [outs, touts] = withOwnedScope(
    () => {
      const [o, t] = jvpFlat(
        (xs) => {
          const [leaves, d] = flatten(f(...unflatten<Args>(pdef, xs)));
          outDef = d;
          return leaves;
        },
        pl,
        tl,
      );
      return [o, t.map(instantiate)] as const;
    },
    ([o, t]) => [...o, ...t],
  );
  return [unflatten<Out>(outDef, outs), unflatten<Out>(outDef, touts)];
}

export function isScalar(x: unknown): x is Scalar {
  return isTensor(x) && x.shape.length === 0;
}

function basis(n: number, shape: readonly number[], dtype: FloatDType): Tensor {
  const data = dtype === 'f64' ? new Float64Array(n * n) : new Float32Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return fromHost(data, { shape: [n, ...shape], dtype }, 'jacobian');
}

function floatDType(x: Tensor, op: string): FloatDType {
  if (x.dtype !== 'f32' && x.dtype !== 'f64')
    throw new Error(`${op}: needs a float input, got ${x.describe()}`);
  return x.dtype;
}

/**
 * The Jacobian by reverse mode: one pullback per output element, vectorised with `vmap`.
 *
 * @param f - A function of one tensor to one tensor.
 * @returns A function giving the Jacobian, shape `[...out, ...in]`.
 *
 * @example
 * ```ts
 * import { jacrev, mul, tensor } from 'typegrad';
 * console.log(jacrev((x) => mul(x, x))(tensor([1, 2])).toArray()); // [[2, 0], [0, 4]]
 * ```
 */
export function jacrev(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    floatDType(x, 'jacrev');
    const [[y], pullback] = vjpFlat((xs) => [f(xs[0]!)], [x]);
    const ys = y!.shape as readonly number[];
    const cts = basis(y!.size, ys, floatDType(y!, 'jacrev'));
    const [rows] = vmapFlat((c) => pullback([c[0]!]), [cts], [0], 0, y!.size);
    return lax.reshape(rows!, [...ys, ...(x.shape as readonly number[])]);
  };
}

/**
 * The Jacobian by forward mode: one `jvp` per input element, vectorised with `vmap` (cheaper
 * than `jacrev` when there are fewer inputs than outputs).
 *
 * @param f - A function of one tensor to one tensor.
 * @returns A function giving the Jacobian, shape `[...out, ...in]`.
 *
 * @example
 * ```ts
 * import { jacfwd, mul, tensor } from 'typegrad';
 * console.log(jacfwd((x) => mul(x, 3))(tensor([1, 2])).toArray()); // [[3, 0], [0, 3]]
 * ```
 */
export function jacfwd(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    const xs = x.shape as readonly number[];
    const tangents = basis(x.size, xs, floatDType(x, 'jacfwd'));
    const [cols] = vmapFlat(
      (t) => {
        const [, [dy]] = jvpFlat((a) => [f(a[0]!)], [x], [t[0]!]);
        return [instantiate(dy!)];
      },
      [tangents],
      [0],
      0,
      x.size,
    );
    // cols: [n, ...out] -> [...out, ...in]
    const outShape = (cols!.shape as readonly number[]).slice(1);
    const moved = lax.transpose(cols!, [...outShape.map((_, i) => i + 1), 0]);
    return lax.reshape(moved, [...outShape, ...xs]);
  };
}

/**
 * The matrix of second derivatives of a scalar function: `jacfwd(jacrev(f))`.
 *
 * @param f - A function of one tensor to a scalar.
 * @returns A function giving the Hessian, shape `[...in, ...in]`.
 *
 * @example
 * ```ts
 * import { hessian, mul, sum, type Tensor, tensor } from 'typegrad';
 * const cube = (x: Tensor) => sum(mul(x, mul(x, x)));
 * console.log(hessian(cube)(tensor([1, 2])).toArray()); // [[6, 0], [0, 12]]
 * ```
 */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return jacfwd(jacrev(f));
}
