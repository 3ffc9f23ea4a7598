/** The shape algebra: each rule as a type (result + check) and its run-time twin. */
export type {
  Add,
  CeilDiv,
  Compare,
  Eq,
  FloorDiv,
  Gt,
  Gte,
  IsIntLiteral,
  Lt,
  Lte,
  Max,
  Min,
  Mod,
  Mul,
  Product,
  Sub,
} from './arith.ts';
export type { NormalizeAxes, NormalizeAxis } from './axis.ts';
export { normalizeAxes, normalizeAxis } from './axis.ts';
export type { Broadcast, BroadcastCheck, BroadcastTo, BroadcastToCheck } from './broadcast.ts';
export { broadcastShapes, broadcastToShape } from './broadcast.ts';
export type { Concat, ConcatCheck, Stack, StackCheck } from './concat.ts';
export { concatShape, stackShape } from './concat.ts';
export type { Conv1d, Conv1dCheck, Conv2d, Conv2dCheck, ConvOptions } from './conv.ts';
export { conv1dShape, conv2dShape, convShape } from './conv.ts';
export type { Checked, Dim, Guard, Shape } from './dim.ts';
export { ShapeError, showShape } from './dim.ts';
export type { ExpandDims, ExpandDimsCheck } from './expand.ts';
export { expandDimsShape } from './expand.ts';
export type { Flatten, FlattenCheck } from './flatten.ts';
export { flattenShape } from './flatten.ts';
export type { MatMul, MatMulCheck } from './matmul.ts';
export { matmulShape } from './matmul.ts';
export type { OneHot, OneHotCheck } from './onehot.ts';
export { oneHotShape } from './onehot.ts';
export type { Pad, PadCheck, PadWidths } from './pad.ts';
export { padShape } from './pad.ts';
export type {
  AdaptivePool2d,
  AdaptivePool2dCheck,
  Pool1d,
  Pool1dCheck,
  Pool2d,
  Pool2dCheck,
  Pool3d,
  Pool3dCheck,
  PoolOptions,
} from './pool.ts';
export { adaptivePoolShape, pool1dShape, pool2dShape, poolShape } from './pool.ts';
export type { Axes, Reduce, ReduceCheck } from './reduce.ts';
export { reduceShape } from './reduce.ts';
export type { Reshape, ReshapeCheck } from './reshape.ts';
export { reshapeShape } from './reshape.ts';
export type { Slice, SliceCheck, SliceSpec, SliceSpecs } from './slice.ts';
export { sliceAxis, sliceShape } from './slice.ts';
export type { Padding, PadPair, PerAxis } from './spatial.ts';
export { convOutputSize, resolvePadding } from './spatial.ts';
export type { Squeeze, SqueezeCheck } from './squeeze.ts';
export { squeezeShape } from './squeeze.ts';
export type { Take, TakeAlongAxis, TakeAlongAxisCheck, TakeCheck } from './take.ts';
export { takeAlongAxisShape, takeShape } from './take.ts';
export type { Transpose, TransposeCheck } from './transpose.ts';
export { transposeShape } from './transpose.ts';
