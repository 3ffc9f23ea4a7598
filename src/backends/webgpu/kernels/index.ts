import type { KernelTable } from '../kernel.ts';
import { convGeneralKernel } from './conv.ts';
import { binaryKernel, castKernel, compareKernel, selectKernel, unaryKernel } from './elementwise.ts';
import { gatherKernel, scatterAddKernel } from './indexing.ts';
import { dotGeneralKernel } from './matmul.ts';
import {
  broadcastKernel,
  concatenateKernel,
  padKernel,
  reshapeKernel,
  revKernel,
  sliceKernel,
  transposeKernel,
} from './movement.ts';
import { windowArgmaxKernel, windowMaxKernel } from './pool.ts';
import { randomBitsKernel } from './random.ts';
import { argmaxKernel, reduceMaxKernel, reduceSumKernel } from './reduce.ts';

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
  reduce_sum: reduceSumKernel,
  reduce_max: reduceMaxKernel,
  argmax: argmaxKernel,
  window_argmax: windowArgmaxKernel,
  window_max: windowMaxKernel,
  reshape: reshapeKernel,
  broadcast_in_dim: broadcastKernel,
  transpose: transposeKernel,
  slice: sliceKernel,
  pad: padKernel,
  concatenate: concatenateKernel,
  rev: revKernel,
  dot_general: dotGeneralKernel,
  conv_general: convGeneralKernel,
  gather: gatherKernel,
  scatter_add: scatterAddKernel,
  random_bits: randomBitsKernel,
};
