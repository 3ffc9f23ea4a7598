/**
 * `typegrad/testing`: gradient checks against finite differences and fast-check
 * arbitraries for tensors, shapes and operator configurations.
 */

export type {
  ArbConvOptions,
  ArbShapeOptions,
  ArbTensorOptions,
  BroadcastPair,
  ConvConfig,
  HostTensor,
  MatmulPair,
} from './arbitraries.ts';
export {
  arbBroadcastPair,
  arbConvConfig,
  arbHostTensor,
  arbKey,
  arbMatmulPair,
  arbSeed,
  arbShape,
  arbTensor,
  hostTensor,
} from './arbitraries.ts';
export type { CheckGradsEntry, CheckGradsOptions, CheckGradsReport, GradMode } from './check-grads.ts';
export { checkGrads } from './check-grads.ts';
