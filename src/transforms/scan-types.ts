/**
 * The types of `scan(f, init, xs)`: the body sees one slice of `xs` (each tensor leaf without
 * its leading dim T), the stacked outputs keep T, and two guards name `scan` and both shapes
 * when the body changes the carry's shape or expects slices of another layout than `xs` has.
 */
import type { Tensor } from '../core/tensor.ts';
import type { Dim, EachDimDiffers, Failure, Same, ShapeError } from '../shapes/dim.ts';

/** What the step function sees of `xs`: every tensor leaf without its leading (scanned) dim. */
export type Sliced<X> =
  X extends Tensor<infer S, infer D>
    ? S extends readonly [unknown, ...infer R]
      ? Tensor<R, D>
      : Tensor<number[], D>
    : X extends readonly unknown[] | Record<string, unknown>
      ? { [K in keyof X]: Sliced<X[K]> }
      : X;

/** What scan returns of the per-step outputs: every tensor leaf stacked along a new leading dim T. */
export type Stacked<Y, T = number> =
  Y extends Tensor<infer S, infer D>
    ? S extends readonly unknown[]
      ? Tensor<[T, ...S], D>
      : Tensor<number[], D>
    : Y extends readonly unknown[] | Record<string, unknown>
      ? { [K in keyof Y]: Stacked<Y[K], T> }
      : Y;

/** The options of `scan`. */
export interface ScanOptions {
  /** The number of steps: needed when `xs` is null, else checked against its leading dim. */
  readonly length?: number;
  /** Run from the last slice to the first (ys stay in input order), as JAX's `reverse`. */
  readonly reverse?: boolean;
}

/** `[T]`, the leading dim of the first tensor leaf of xs, or `[]` when xs has none. */
type Lead<X> =
  X extends Tensor<infer S, infer _D>
    ? S extends readonly [infer T, ...unknown[]]
      ? [T]
      : [number]
    : X extends readonly [infer H, ...infer R]
      ? Lead<H> extends [infer T]
        ? [T]
        : Lead<R>
      : X extends readonly (infer E)[]
        ? Lead<E>
        : X extends Record<string, unknown>
          ? { [K in keyof X]: Lead<X[K]> }[keyof X]
          : [];

/** The sequence length T: from xs, else from a literal `length` option, else `number`. */
export type ScanLength<X, O> =
  Lead<X> extends [infer T] ? T : O extends { readonly length: infer L extends number } ? L : number;

// `readonly unknown[]`, not `Shape`: a shape with a generic dim must not defer this
type Show<S> = S extends readonly unknown[]
  ? number extends S['length']
    ? 'a shape of unknown rank'
    : `[${JoinDims<S>}]`
  : 'a shape of unknown rank';
type JoinDims<S extends readonly unknown[]> = S extends readonly [infer H, ...infer R]
  ? R extends []
    ? `${H & Dim}`
    : `${H & Dim}, ${JoinDims<R>}`
  : '';

/** The first leaf (in a pytree) where the body's value is not the expected one, as a Failure. */
type LeafRule<Expected, Got, What extends string, Other extends string> = [Got] extends [Expected]
  ? 'ok'
  : Expected extends Tensor<infer S, infer _D>
    ? Got extends Tensor<infer G, infer _E>
      ? Failure<`scan: ${What} ${Show<G>} and ${Other} ${Show<S>} differ`>
      : Failure<`scan: ${What} is not a tensor`>
    : Expected extends Record<string, unknown> | readonly unknown[]
      ? Extract<
          {
            [K in keyof Expected]: LeafRule<Expected[K], K extends keyof Got ? Got[K] : never, What, Other>;
          }[keyof Expected],
          Failure<string>
        >
      : Failure<`scan: ${What} does not match`>;

type CheckOf<R> = [R] extends [never] ? unknown : R extends Failure<infer M> ? ShapeError<M> : unknown;

/** `unknown` when the body returns a carry of the carry's type, else `ShapeError<"scan: ...">` naming both shapes. */
export type CarryCheck<C, NewC> = CheckOf<
  Extract<LeafRule<C, NewC, "the body's new carry", 'the carry'>, Failure<string>>
>;

/**
 * The dims of a tensor xs's slices against the body's x, on their own (scan guards xs with this
 * first, then with {@link XsCheck}): batch-major `[B, T, F]` xs for a body that takes `[B, F]`
 * print message first in a function generic in B and T, where TypeScript cannot decide B
 * against T: `DimsDiffer<\`scan: xs slices [${T}, 16] and the body's x [${B}, 16] differ\`, T, B>`.
 */
export type XsDimsCheck<X, XParam> =
  X extends Tensor<infer S, infer _D>
    ? XParam extends Tensor<infer E extends readonly unknown[], infer _F>
      ? S extends readonly [unknown, ...infer G]
        ? number extends G['length'] | E['length']
          ? unknown
          : G['length'] extends E['length']
            ? EachDimDiffers<`scan: xs slices ${Show<G>} and the body's x ${Show<E>} differ`, G, E>
            : unknown
        : unknown
      : unknown
    : unknown;

/** `unknown` when the body takes the slices of xs, else `ShapeError<"scan: ...">` naming both shapes. */
export type XsCheck<X, XParam> =
  Same<Sliced<X>, XParam> extends true
    ? unknown
    : CheckOf<Extract<LeafRule<XParam, Sliced<X>, 'xs slices', "the body's x">, Failure<string>>>;
