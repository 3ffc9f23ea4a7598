/**
 * A child process for thread-pool.test.ts: three jitted SGD steps of a 384-256-10 MLP (batch
 * 256) on the default CPU backend, whose threads come from TYPEGRAD_THREADS; prints the
 * losses, the final first-layer weights as hex bit patterns and the pool's row jobs in the
 * last two steps, then exits with the pool alive.
 */
import {
  add,
  jit,
  matmul,
  mean,
  optim,
  relu,
  square,
  sub,
  type Tensor,
  tensor,
  valueAndGrad,
} from '../../../index.ts';
import { cpuBackend } from '../index.ts';
import { gemmPool } from './gemm-pool.ts';

type Params = { readonly w1: Tensor<[384, 256]>; readonly b1: Tensor<[256]>; readonly w2: Tensor<[256, 10]> };

const values = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * 0.1);
const loss = (p: Params, x: Tensor<[256, 384]>, t: Tensor<[256, 10]>) =>
  mean(square(sub(matmul(relu(add(matmul(x, p.w1), p.b1)), p.w2), t)));
const opt = optim.sgd(0.1);
type State = ReturnType<typeof opt.init<Params>>;
const step = jit((p: Params, s: State, x: Tensor<[256, 384]>, t: Tensor<[256, 10]>) => {
  const [l, g] = valueAndGrad(loss)(p, x, t);
  const [updates, next] = opt.update(g, s);
  return { params: optim.applyUpdates(p, updates), state: next, loss: l };
});

let p: Params = {
  w1: tensor(values(384 * 256, 1), [384, 256]),
  b1: tensor(values(256, 2), [256]),
  w2: tensor(values(256 * 10, 3), [256, 10]),
};
let s = opt.init(p);
const x = tensor(values(256 * 384, 4), [256, 384]);
const t = tensor(values(256 * 10, 5), [256, 10]);
const bits = (a: Float32Array) =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (u) => u.toString(16));
const losses: string[] = [];
let jobs = 0;
for (let i = 0; i < 3; i++) {
  const out = step(p, s, x, t);
  // the first step installed the default backend's pool (if any): count the next steps' jobs
  const pool = gemmPool();
  if (i === 0 && pool) {
    const rows = pool.rows;
    pool.rows = (job) => {
      jobs++;
      rows(job);
    };
  }
  p = out.params;
  s = out.state;
  losses.push(...bits(new Float32Array([await out.loss.itemAsync()])));
}
const w1 = (await p.w1.data()) as Float32Array;
console.log(JSON.stringify({ threads: cpuBackend.threads, jobs, losses, w1: bits(w1).join(',') }));
