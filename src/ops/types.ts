import type { DType, Promote } from '../core/dtype.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Shape } from '../shapes/dim.ts';

/** A tensor or a weak JS number, as ops accept them. */
export type Arg<S extends Shape = Shape, D extends DType = DType> = Tensor<S, D> | number;

/** The static shape of an op argument (a number is a scalar). */
export type ShapeOf<X> = X extends Tensor<infer S, DType> ? S : [];

/**
 * The dtype of an op argument; numbers are weak and take the other side's dtype. Read from the
 * `dtype` property, not by matching `Tensor<Shape, infer D>`: that match stays deferred for a
 * tensor with generic dims (`Tensor<[B, 16]>` inside `function f<B extends number>`).
 */
export type DTypeOf<X> = X extends { readonly dtype: infer D extends DType } ? D : never;

/** Result dtype of a binary op (JAX's weak-type promotion). */
export type ResultDType<X, Y> = [DTypeOf<X>] extends [never]
  ? [DTypeOf<Y>] extends [never]
    ? 'f32'
    : DTypeOf<Y>
  : [DTypeOf<Y>] extends [never]
    ? DTypeOf<X>
    : Promote<DTypeOf<X>, DTypeOf<Y>>;

/** Float result of an op on X: ints and bools become f32. */
export type FloatOf<D extends DType> = D extends 'f64' ? 'f64' : D extends 'f16' ? 'f16' : 'f32';
