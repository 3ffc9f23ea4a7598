/**
 * Layers as pure functions over typed parameter records. Each layer with parameters is a
 * function `layer(params, x, opts?)` carrying `layer.init(key, config) -> params`:
 *
 *   const p = nn.dense.init(key, { in: 784, out: 10 }); // { w: Tensor<[784, 10]>, b: Tensor<[10]> }
 *   const y = nn.dense(p, x);                            // x: Tensor<['B', 784]> -> Tensor<['B', 10]>
 *
 * or from an example input, which reads the input size from x's type and value (Flax's
 * `init(key, x)`): `nn.dense.initFor(key, x, { out: 10 })` gives the same record for the same key.
 *
 * Parameter-free layers (pooling, flatten, dropout, attention) take the input directly.
 * Models compose with fp-ts `pipe`/`flow`; a layer of the wrong size is a compile error on it.
 */

export {
  elu,
  gelu,
  leakyRelu,
  logSoftmax,
  relu,
  sigmoid,
  silu,
  softmax,
  softplus,
  tanh,
} from '../ops/activations.ts';
export {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  maxPool1d,
  maxPool2d,
  maxPool3d,
} from '../ops/pool.ts';
export type {
  AttentionOptions,
  AttentionOut,
  MultiHeadAttentionConfig,
  MultiHeadAttentionOptions,
  MultiHeadAttentionParams,
} from './attention.ts';
export { attention, causalMask, multiHeadAttention } from './attention.ts';
export type {
  BatchNormOptions,
  BatchNormState,
  GroupNormOptions,
  NormConfig,
  NormParams,
} from './batch-norm.ts';
export { batchNorm, groupNorm } from './batch-norm.ts';
export type { BidirectionalLayer, BidirectionalParams, BidirectionalRecurrent } from './bidirectional.ts';
export { bidirectional } from './bidirectional.ts';
export type { BceWithLogitsOptions, BinaryCrossEntropyOptions } from './binary-losses.ts';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binary-losses.ts';
export type { ChannelCheck, DimCheck, FourTimes, LastDimCheck, RankCheck, SameShapeCheck } from './checks.ts';
export type { CrossEntropyLossOptions, NllLossOptions, WithoutClassAxis } from './class-losses.ts';
export { crossEntropy, nllLoss } from './class-losses.ts';
export type { Conv2dConfig, Conv2dParams, KernelSize } from './conv.ts';
export { conv2d } from './conv.ts';
export type { ConvLayerConfig, ConvParams } from './conv-layers.ts';
export { conv1d, conv3d, convTranspose2d } from './conv-layers.ts';
export type { DenseConfig, DenseNoBiasParams, DenseParams } from './dense.ts';
export { dense } from './dense.ts';
export type { DropoutOptions } from './dropout.ts';
export { dropout } from './dropout.ts';
export type { EmbeddingConfig, EmbeddingOptions, EmbeddingParams } from './embedding.ts';
export { embedding } from './embedding.ts';
export { flatten } from './flatten.ts';
export type { GruParams, ThreeTimes } from './gru.ts';
export { gru, gruCell } from './gru.ts';
export type { Initializer } from './init.ts';
export * as init from './init.ts';
export type { LossOut, Reduction } from './loss-reduction.ts';
export type { CrossEntropyOptions } from './losses.ts';
export { accuracy, mse, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './losses.ts';
export type {
  LayerNormConfig,
  LayerNormNdConfig,
  LayerNormNdParams,
  LayerNormOptions,
  LayerNormParams,
  NoParams,
} from './norm.ts';
export { layerNorm } from './norm.ts';
export type {
  LstmConfig,
  LstmParams,
  LstmState,
  RecurrentConfig,
  RnnOptions,
  RnnParams,
  SeqBatch,
  SeqOut,
} from './recurrent.ts';
export { lstm, lstmCell, rnn, rnnCell } from './recurrent.ts';
export type {
  BidirectionalStackParams,
  RecurrentKind,
  RecurrentStack,
  StackConfig,
  StackConfigFor,
  StackOptions,
  StackParams,
  StackShape,
  TwoTimes,
} from './recurrent-stack.ts';
export { gruStack, lstmStack, rnnStack } from './recurrent-stack.ts';
export type { HuberLossOptions, RegressionLossOptions, SmoothL1LossOptions } from './regression-losses.ts';
export { huberLoss, l1Loss, mseLoss, smoothL1Loss } from './regression-losses.ts';
export type { Summary, SummaryRow } from './summary.ts';
export { summary } from './summary.ts';
