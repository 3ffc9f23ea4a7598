/** The cases each workload id runs, with their FLOP or op counts, per backend. */
import { CONV_W5, CONV1, convFlop, DISPATCH_OPS, DISPATCH_SYNC_OPS, MLP_FLOP, POOL_SHAPE } from './data.ts';
import type { CaseInfo } from './harness.ts';
import type { Backend, Case, WorkloadId } from './peer.ts';

export interface PlannedCase extends Case {
  readonly info: CaseInfo;
  /** Only typegrad runs it (issue 9's targets without a peer figure). */
  readonly typegradOnly?: boolean;
}

const matmul = (n: number): PlannedCase => ({ id: 'W1', params: { n }, info: { flop: 2 * n ** 3 } });
const dispatch: PlannedCase = {
  id: 'DISPATCH',
  params: { ops: DISPATCH_OPS, shape: '[4]' },
  info: { ops: DISPATCH_OPS },
};
const dispatchSync: PlannedCase = {
  id: 'DISPATCH_SYNC',
  params: { ops: DISPATCH_SYNC_OPS, shape: '[4]' },
  info: { ops: DISPATCH_SYNC_OPS },
};

/** Every workload id with its cases on the CPU backend (jax-js wasm, tfjs-wasm). */
export const CPU_PLAN: Readonly<Record<WorkloadId, readonly PlannedCase[]>> = {
  W1: [256, 512, 1024].map(matmul),
  W2: [{ id: 'W2', params: { model: 'mlp 784-512-512-10', batch: 128, lr: 0.01 }, info: { flop: MLP_FLOP } }],
  W3: [{ id: 'W3', params: { model: 'lenet5', batch: 64, lr: 0.01 }, info: {} }],
  W4: [{ id: 'W4', params: { model: 'lstm h128 i64', T: 32, batch: 32, lr: 0.01 }, info: {} }],
  W5: [
    {
      id: 'W5',
      params: { x: '[32,64,32,32]', w: '[64,64,3,3]', pad: 1 },
      info: { flop: convFlop(CONV_W5.n, CONV_W5.c, CONV_W5.o, CONV_W5.hw, CONV_W5.k) },
    },
  ],
  DISPATCH: [dispatch],
  DISPATCH_SYNC: [dispatchSync],
  MAXPOOL: ['forward', 'grad'].map((pass) => ({
    id: 'MAXPOOL',
    params: { x: `[${POOL_SHAPE.join(',')}]`, window: 2, pass },
    info: {},
    typegradOnly: true,
  })),
  CONV1: [
    {
      id: 'CONV1',
      params: { x: '[128,1,28,28]', w: '[16,1,3,3]', pad: 1 },
      info: { flop: convFlop(CONV1.n, CONV1.c, CONV1.o, CONV1.hw, CONV1.k) },
      typegradOnly: true,
    },
  ],
};

/** WebGPU (SwiftShader in CI): the dispatch workloads and small matmuls. */
export const WEBGPU_PLAN: Readonly<Partial<Record<WorkloadId, readonly PlannedCase[]>>> = {
  DISPATCH: [dispatch],
  DISPATCH_SYNC: [dispatchSync],
  W1: [128, 256].map(matmul),
};

/**
 * The entry point: runs the cases of one workload id on the three libraries.
 *
 * @example
 *   plan('webgpu').DISPATCH; // [{ id: 'DISPATCH', params: { ops: 1000, shape: '[4]' }, … }]
 */
export function plan(backend: Backend): Readonly<Partial<Record<WorkloadId, readonly PlannedCase[]>>> {
  return backend === 'cpu' ? CPU_PLAN : WEBGPU_PLAN;
}
