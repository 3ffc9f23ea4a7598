/**
 * Index-based tuple helpers for shapes. These count over a shape's rank (a handful of
 * axes), never over dim sizes, so tuple lengths are safe here.
 */
import type { Dim, Shape } from './dim.ts';

/** The first N dims. */
export type TakeFirst<S extends Shape, N extends number, Acc extends Dim[] = []> = Acc['length'] extends N
  ? Acc
  : S extends readonly [infer H extends Dim, ...infer R extends Dim[]]
    ? TakeFirst<R, N, [...Acc, H]>
    : Acc;

/** All but the first N dims. */
export type DropFirst<S extends Shape, N extends number, I extends unknown[] = []> = I['length'] extends N
  ? [...S]
  : S extends readonly [unknown, ...infer R extends Dim[]] // `unknown`, not `Dim`: a generic dim must not defer this
    ? DropFirst<R, N, [...I, 0]>
    : [];

/** Dims at indices [From, To). */
export type SliceDims<S extends Shape, From extends number, To extends number> = DropFirst<
  TakeFirst<S, To>,
  From
>;

/** S with the dims at the indices in Axes (a union of literals) replaced by `With`, or dropped when `With` is []. */
export type MapAxes<
  S extends Shape,
  Axes extends number,
  With extends Dim[],
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = S extends readonly [infer H extends Dim, ...infer R extends Dim[]]
  ? MapAxes<R, Axes, With, [...I, 0], I['length'] extends Axes ? [...Acc, ...With] : [...Acc, H]>
  : Acc;

/** S with X inserted before index At (At may equal the rank). */
export type InsertAt<
  S extends Shape,
  At extends number,
  X extends Dim,
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = I['length'] extends At
  ? [...Acc, X, ...S]
  : S extends readonly [infer H extends Dim, ...infer R extends Dim[]]
    ? InsertAt<R, At, X, [...I, 0], [...Acc, H]>
    : [...Acc, X];

export type Reverse<S extends Shape, Acc extends Dim[] = []> = S extends readonly [
  infer H extends Dim,
  ...infer R extends Dim[],
]
  ? Reverse<R, [H, ...Acc]>
  : Acc;
