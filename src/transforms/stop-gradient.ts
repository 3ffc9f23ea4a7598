import type { DType } from '../core/dtype.ts';
import { registerImpl } from '../core/eval.ts';
import type { Tensor } from '../core/tensor.ts';
import { bind1 } from '../core/trace.ts';
import type { Shape } from '../shapes/dim.ts';
import { registerBatchRule } from './batching.ts';
import { registerAbstractEval } from './jaxpr.ts';
import { registerJvpRule } from './jvp.ts';
import { Zero } from './zero.ts';

/**
 * `stopGradient(x)` is x, with a zero derivative: a primitive whose value is the identity
 * and whose jvp rule returns a symbolic zero.
 */
registerImpl('stop_gradient', ([x]) => [x!]);
registerAbstractEval('stop_gradient', ([x]) => [x!]);
registerJvpRule('stop_gradient', ([x]) => [[stopGradient(x!)], [new Zero(x!.aval)]]);
registerBatchRule('stop_gradient', ([x], [d]) => [[stopGradient(x!)], [d!]]);

/**
 * `x` itself, with a zero derivative: gradients do not flow through it (JAX's
 * `stop_gradient`, PyTorch's `detach`).
 *
 * @param x - A tensor of any shape.
 * @returns `x`'s values, treated as a constant by `grad`, `jvp` and `vjp`.
 *
 * @example
 * ```ts
 * import { grad, mul, stopGradient, type Tensor, tensor } from 'typegrad';
 * // d/dx (x · c) with c = x held constant is c, not 2x
 * const f = (x: Tensor<[]>) => mul(x, stopGradient(x));
 * console.log(grad(f)(tensor(3)).item()); // 3
 * ```
 */
export function stopGradient<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  return bind1('stop_gradient', [x]) as Tensor<S, D>;
}
