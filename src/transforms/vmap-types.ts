/**
 * The types of `vmap(f, opts)`: every tensor leaf of a mapped argument gains the batch dim at
 * its in-axis, every output leaf gains it at the out-axis, and the batch sizes the arguments
 * carry must agree (src/shapes/vmap.ts holds the shape rules).
 */
import type { Tensor } from '../core/tensor.ts';
import type { Checked, Dim, DimsDiffer, MergeDims } from '../shapes/dim.ts';
import type { AddBatchDim, AgreeBatch, BatchDimAt } from '../shapes/vmap.ts';

/** The options of `vmap`: which axis of each argument is mapped, and where the outputs' goes. */
export interface VmapOptions {
  /** per positional argument: the mapped axis, or null for unmapped (default 0 for all) */
  readonly inAxes?: number | null | readonly (number | null)[];
  /** the axis of the outputs where the mapped dim goes (default 0) */
  readonly outAxes?: number | null;
}

type InAxesOf<O> = O extends { readonly inAxes: infer A } ? ([A] extends [undefined] ? 0 : A) : 0;
type OutAxisOf<O> = O extends { readonly outAxes: infer A } ? ([A] extends [undefined] ? 0 : A) : 0;

/** The in-axis of argument K. */
type AxisOf<InAx, K> = InAx extends readonly unknown[] ? (K extends keyof InAx ? InAx[K] : number) : InAx;

/** X with every tensor leaf given the batch dim B at Axis (a pytree: tuples, arrays, records). */
export type Batched<X, Axis, B extends Dim, Fallback = number[]> =
  X extends Tensor<infer S, infer D>
    ? Tensor<AddBatchDim<S, Axis, B, Fallback>, D>
    : X extends (...args: never[]) => unknown
      ? X
      : X extends object
        ? { [K in keyof X]: Batched<X[K], Axis, B, Fallback> }
        : X;

/** What each argument of the mapped function must be: its parameter with some batch dim added. */
export type BatchedArgs<P extends readonly unknown[], InAx> = {
  [K in keyof P]: Batched<P[K], AxisOf<InAx, K>, Dim, Dim[]>;
};

/** The batch dims the tensor leaves of one argument carry, in order. */
type LeafBatchDims<X, Axis> = [Axis] extends [null]
  ? []
  : X extends Tensor<infer S, infer _D>
    ? [BatchDimAt<S, Axis>]
    : X extends readonly unknown[]
      ? TupleBatchDims<X, Axis>
      : X extends object
        ? [{ [K in keyof X]: LeafBatchDims<X[K], Axis>[number] }[keyof X]]
        : [];
type TupleBatchDims<X extends readonly unknown[], Axis> = X extends readonly [infer H, ...infer R]
  ? [...LeafBatchDims<H, Axis>, ...TupleBatchDims<R, Axis>]
  : number extends X['length']
    ? LeafBatchDims<X[number], Axis>
    : [];

/** The batch dims of all mapped arguments, in argument order. */
type ArgBatchDims<A extends readonly unknown[], InAx, I extends unknown[] = []> = A extends readonly [
  infer H,
  ...infer R,
]
  ? [...LeafBatchDims<H, AxisOf<InAx, `${I['length']}`>>, ...ArgBatchDims<R, InAx, [...I, 0]>]
  : [];

/** The batch size of a call, `number` where the arguments disagree (the guard reports that). */
export type BatchSize<A extends readonly unknown[], InAx> =
  AgreeBatch<ArgBatchDims<A, InAx>> extends [infer B extends Dim] ? B : number;

/** Per argument, the batch dims its tensor leaves carry. */
type PerArgBatchDims<A extends readonly unknown[], InAx, I extends unknown[] = []> = A extends readonly [
  infer H,
  ...infer R,
]
  ? [LeafBatchDims<H, AxisOf<InAx, `${I['length']}`>>, ...PerArgBatchDims<R, InAx, [...I, 0]>]
  : [];

/** The dims Ds of one argument against the batch size so far (`[]` before the first mapped leaf). */
type LeafChecks<
  Ds extends readonly unknown[],
  Acc extends [] | [unknown],
  C = unknown,
> = Ds extends readonly [infer D, ...infer R]
  ? Acc extends [infer B]
    ? LeafChecks<
        R,
        [MergeDims<B, D>],
        C & DimsDiffer<`vmap: mapped axes have different sizes ${B & Dim} and ${D & Dim}`, B, D>
      >
    : LeafChecks<R, [D], C>
  : [C, Acc];

/**
 * One check per argument: its mapped dims against the batch size of the arguments before it
 * (`AgreeBatch`'s rule, argument by argument), so a mismatch is reported on the argument that
 * brings the other size, as `DimsDiffer`: a message, or for two different generic batch dims
 * the unresolved check, message first.
 */
type ArgChecks<Per extends readonly unknown[], Acc extends [] | [unknown] = []> = Per extends readonly [
  infer Ds extends readonly unknown[],
  ...infer R,
]
  ? LeafChecks<Ds, Acc> extends [infer C, infer Next extends [] | [unknown]]
    ? [C, ...ArgChecks<R, Next>]
    : never
  : [];

/** What each argument of the mapped function is checked as: `Checked` with its batch-size check. */
export type VmapArgs<A extends readonly unknown[], InAx, Checks = ArgChecks<PerArgBatchDims<A, InAx>>> = {
  [K in keyof A]: Checked<A[K], K extends keyof Checks ? Checks[K] : unknown>;
};

/**
 * The function `vmap(f, opts)` returns: it takes f's arguments with the batch dim added at
 * their in-axes and returns f's outputs with the batch dim at the out-axis.
 */
export type Vmapped<P extends readonly unknown[], Out, O> = <
  // a tuple type (not the bare mapped type), so that the checked arguments, mapped over A, are an array type
  const A extends readonly [...BatchedArgs<P, InAxesOf<O>>],
>(
  ...args: VmapArgs<A, InAxesOf<O>>
) => Batched<Out, OutAxisOf<O>, BatchSize<A, InAxesOf<O>>>;
