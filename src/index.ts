/**
 * typegrad: deep learning in TypeScript. Shapes in the types, JAX-style transforms of
 * pure functions, WebGPU and CPU kernels.
 */
export type { Aval } from './core/aval.ts';
export type { BackendName, SetBackendOptions } from './core/backend-registry.ts';
export { getBackend, setBackend } from './core/backend-registry.ts';
export { clone } from './core/clone.ts';
export type { DType, FloatDType, TypedArray, TypedArrayFor } from './core/dtype.ts';
export { setAllocationLimit } from './core/limits.ts';
// The option and helper types that public signatures name (so the API reference can link them).
export type { MemoryInfo } from './core/memory.ts';
export { memory } from './core/memory.ts';
export { Tensor } from './core/tensor.ts';
export * as data from './data/index.ts';
export * as io from './io/index.ts';
export * as nn from './nn/index.ts';
export * from './ops/activations.ts';
export { assertShape } from './ops/assert-shape.ts';
export * from './ops/conv.ts';
export type { TensorOptions } from './ops/creation.ts';
export * from './ops/creation.ts';
export * from './ops/elementwise.ts';
export { erf, erfc } from './ops/erf.ts';
export * from './ops/linalg.ts';
export * from './ops/pool.ts';
export * from './ops/reductions.ts';
export * from './ops/shape.ts';
export type { SplitOptions } from './ops/split-flip.ts';
export { flip, split } from './ops/split-flip.ts';
export * as optim from './optim/index.ts';
export * as random from './random/index.ts';
export type { ConvOptions } from './shapes/conv.ts';
export type { Dim, Shape } from './shapes/dim.ts';
export { ShapeError } from './shapes/dim.ts';
export * as dims from './shapes/dims.ts';
export type { PadWidths } from './shapes/pad.ts';
export type { PoolOptions } from './shapes/pool.ts';
export type { Padding, PadPair, PerAxis } from './shapes/spatial.ts';
export * as train from './train/index.ts';
export type { Argnums, Scalar } from './transforms/api.ts';
export { grad, hessian, jacfwd, jacrev, jvp, valueAndGrad } from './transforms/api.ts';
export type { VmapOptions } from './transforms/batching.ts';
export { vmap } from './transforms/batching.ts';
export { customVjp } from './transforms/custom-vjp.ts';
export type { ClosedJaxpr, Eqn, Jaxpr, Var } from './transforms/jaxpr.ts';
export type { JitOptions, Jitted } from './transforms/jit.ts';
export { jit } from './transforms/jit.ts';
export type { LoopIndex } from './transforms/loops.ts';
export { foriLoop, whileLoopAsync } from './transforms/loops.ts';
export { makeJaxpr } from './transforms/make-jaxpr.ts';
export type { ScanOptions } from './transforms/scan.ts';
export { scan } from './transforms/scan.ts';
export { dispose, scope } from './transforms/scope-api.ts';
export { stopGradient } from './transforms/stop-gradient.ts';
export { vjp } from './transforms/vjp.ts';
export type { WhileLoopOptions } from './transforms/while-loop.ts';
export { whileLoop } from './transforms/while-loop.ts';
