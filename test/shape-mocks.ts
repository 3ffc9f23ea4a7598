/**
 * Typed declarations of ops for type tests of src/shapes, written the way src/ops types
 * them: each guard sits on the argument it concerns. Declarations only (no bodies), so
 * nothing here runs; the real ops replace these once they exist.
 */
import type {
  Axes,
  Broadcast,
  BroadcastCheck,
  Concat,
  ConcatCheck,
  Conv1d,
  Conv1dCheck,
  Conv2d,
  Conv2dCheck,
  ConvOptions,
  ExpandDims,
  ExpandDimsCheck,
  Flatten,
  FlattenCheck,
  Guard,
  MatMul,
  MatMulCheck,
  OneHot,
  OneHotCheck,
  Pad,
  PadCheck,
  PadWidths,
  Pool2d,
  Pool2dCheck,
  PoolOptions,
  Reduce,
  ReduceCheck,
  Reshape,
  ReshapeCheck,
  Shape,
  Slice,
  SliceCheck,
  SliceSpecs,
  Squeeze,
  SqueezeCheck,
  Stack,
  StackCheck,
  Take,
  TakeCheck,
  Transpose,
  TransposeCheck,
} from '../src/shapes/index.ts';

export declare class Tensor<S extends Shape, D extends string = 'f32'> {
  readonly shape: S;
  readonly dtype: D;
}

export declare function add<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: Tensor<B> & Guard<BroadcastCheck<'add', A, B>>,
): Tensor<Broadcast<A, B>>;
export declare function relu<S extends Shape>(x: Tensor<S>): Tensor<S>;
export declare function matmul<A extends Shape, B extends Shape>(
  a: Tensor<A>,
  b: Tensor<B> & Guard<MatMulCheck<A, B>>,
): Tensor<MatMul<A, B>>;
export declare function reshape<S extends Shape, const T extends Shape>(
  x: Tensor<S>,
  shape: T & Guard<ReshapeCheck<S, T>>,
): Tensor<Reshape<S, T>>;
export declare function transpose<S extends Shape, const P extends readonly number[] | undefined = undefined>(
  x: Tensor<S>,
  opts?: { readonly perm?: P } & Guard<TransposeCheck<S, P>>,
): Tensor<Transpose<S, NoInfer<P>>>;
export declare function sum<
  S extends Shape,
  const A extends Axes = undefined,
  const K extends boolean = false,
>(
  x: Tensor<S>,
  opts?: { readonly axis?: A & Guard<ReduceCheck<'sum', S, A>>; readonly keepdims?: K },
): Tensor<Reduce<S, A, K>>;
export declare function concat<const Shapes extends readonly Shape[], const A extends number = 0>(
  xs: { readonly [I in keyof Shapes]: Tensor<Shapes[I]> },
  opts?: { readonly axis?: A } & Guard<ConcatCheck<'concat', Shapes, A>>,
): Tensor<Concat<Shapes, NoInfer<A>>>;
export declare function stack<const Shapes extends readonly Shape[], const A extends number = 0>(
  xs: { readonly [I in keyof Shapes]: Tensor<Shapes[I]> },
  opts?: { readonly axis?: A } & Guard<StackCheck<Shapes, A>>,
): Tensor<Stack<Shapes, NoInfer<A>>>;
export declare function squeeze<S extends Shape, const A extends Axes = undefined>(
  x: Tensor<S>,
  opts?: { readonly axis?: A } & Guard<SqueezeCheck<S, A>>,
): Tensor<Squeeze<S, NoInfer<A>>>;
export declare function expandDims<S extends Shape, const A extends number>(
  x: Tensor<S>,
  axis: A & Guard<ExpandDimsCheck<S, A>>,
): Tensor<ExpandDims<S, A>>;
export declare function flatten<
  S extends Shape,
  const Start extends number = 0,
  const End extends number = -1,
>(
  x: Tensor<S>,
  opts?: { readonly startAxis?: Start; readonly endAxis?: End } & Guard<FlattenCheck<S, Start, End>>,
): Tensor<Flatten<S, NoInfer<Start>, NoInfer<End>>>;
export declare function slice<S extends Shape, const P extends SliceSpecs>(
  x: Tensor<S>,
  specs: P & Guard<SliceCheck<S, P>>,
): Tensor<Slice<S, P>>;
export declare function pad<S extends Shape, const W extends PadWidths>(
  x: Tensor<S>,
  widths: W & Guard<PadCheck<S, W>>,
): Tensor<Pad<S, W>>;
export declare function take<
  S extends Shape,
  I extends Shape,
  const A extends number | undefined = undefined,
>(
  x: Tensor<S>,
  indices: Tensor<I, 'i32'>,
  opts?: { readonly axis?: A } & Guard<TakeCheck<S, I, A>>,
): Tensor<Take<S, I, NoInfer<A>>>;
export declare function oneHot<S extends Shape, const N extends number>(
  x: Tensor<S, 'i32'>,
  n: N & Guard<OneHotCheck<S, N>>,
): Tensor<OneHot<S, N>>;
export declare function conv2d<X extends Shape, W extends Shape, const O extends ConvOptions = {}>(
  x: Tensor<X>,
  w: Tensor<W> & Guard<Conv2dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv2d<X, W, O>>;
export declare function conv1d<X extends Shape, W extends Shape, const O extends ConvOptions = {}>(
  x: Tensor<X>,
  w: Tensor<W> & Guard<Conv1dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv1d<X, W, O>>;
export declare function maxPool2d<X extends Shape, const O extends PoolOptions>(
  x: Tensor<X>,
  opts: O & Guard<Pool2dCheck<'maxPool2d', X, O>>,
): Tensor<Pool2d<X, O>>;
