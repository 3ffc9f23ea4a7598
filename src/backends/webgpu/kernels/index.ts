import type { KernelTable } from '../kernel.ts';
import { binaryKernel, castKernel, compareKernel, selectKernel, unaryKernel } from './elementwise.ts';
import {
  broadcastKernel,
  concatenateKernel,
  padKernel,
  reshapeKernel,
  revKernel,
  sliceKernel,
  transposeKernel,
} from './movement.ts';

const todo = (name: string) => (): never => {
  throw new Error(`webgpu ${name}: not implemented yet`);
};

/** Every primitive's WebGPU kernel (a missing one is a compile error). */
export const KERNELS: KernelTable = {
  neg: unaryKernel('neg'),
  exp: unaryKernel('exp'),
  log: unaryKernel('log'),
  sin: unaryKernel('sin'),
  cos: unaryKernel('cos'),
  sqrt: unaryKernel('sqrt'),
  tanh: unaryKernel('tanh'),
  logistic: unaryKernel('logistic'),
  abs: unaryKernel('abs'),
  sign: unaryKernel('sign'),
  add: binaryKernel('add'),
  sub: binaryKernel('sub'),
  mul: binaryKernel('mul'),
  div: binaryKernel('div'),
  pow: binaryKernel('pow'),
  max: binaryKernel('max'),
  min: binaryKernel('min'),
  compare: compareKernel,
  select: selectKernel,
  cast: castKernel,
  reduce_sum: todo('reduce_sum'),
  reduce_max: todo('reduce_max'),
  argmax: todo('argmax'),
  reshape: reshapeKernel,
  broadcast_in_dim: broadcastKernel,
  transpose: transposeKernel,
  slice: sliceKernel,
  pad: padKernel,
  concatenate: concatenateKernel,
  rev: revKernel,
  dot_general: todo('dot_general'),
  conv_general: todo('conv_general'),
  gather: todo('gather'),
  scatter_add: todo('scatter_add'),
  random_bits: todo('random_bits'),
};
