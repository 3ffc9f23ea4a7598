/**
 * The repository's testing barrel: gradient checks and fast-check arbitraries together. The
 * package publishes them apart: `typegrad/testing` (`./entry.ts`, no fast-check) and
 * `typegrad/testing/arbitraries` (`./arbitraries.ts`, fast-check as an optional peer).
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
