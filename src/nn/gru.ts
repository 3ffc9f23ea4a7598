/**
 * GRU (Cho et al. 2014) in PyTorch's form: gates r, z, n with two biases, the reset gate applied
 * to the recurrent term including its bias, `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`.
 */

import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { sigmoid, tanh } from '../ops/activations.ts';
import { zeros } from '../ops/creation.ts';
import { add, mul, sub } from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { slice } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Mul } from '../shapes/arith.ts';
import type { Checked, Dim, Shape } from '../shapes/dim.ts';
import { scan } from '../transforms/scan.ts';
import type { LastDim, LastDimCheck, RankCheck } from './checks.ts';
import { dimCheck, lastDimCheck, rankCheck } from './checks.ts';
import { configFromExample } from './example-input.ts';
import { glorotUniform, zeros as zerosInit } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';
import type { RecurrentConfig, SeqBatch, SeqOut } from './recurrent.ts';
import { RNN_CONFIG_KEYS } from './recurrent.ts';

type T = Tensor;
const dims = (t: Tensor) => t.shape as readonly number[];

/** 3 * H for the GRU gate width; `number` for a named or dynamic H. */
export type ThreeTimes<H extends Dim> = H extends number ? Mul<3, H> : number;

/**
 * GRU weights, gates in the order r, z, n along the 3H axis. From PyTorch's `nn.GRU`:
 * `wx = weight_ih_l0.T`, `wh = weight_hh_l0.T`, `bx = bias_ih_l0`, `bh = bias_hh_l0` (both
 * biases are kept: b_hn sits inside the reset gate, so they do not merge).
 */
export interface GruParams<F extends Dim = number, H extends Dim = number, D extends FloatDType = 'f32'> {
  /** Input weights `[F, 3H]`, gates r, z, n. */
  readonly wx: Tensor<[F, ThreeTimes<H>], D>;
  /** Recurrent weights `[H, 3H]`, gates r, z, n. */
  readonly wh: Tensor<[H, ThreeTimes<H>], D>;
  /** Input bias `[3H]` (PyTorch's `bias_ih`). */
  readonly bx: Tensor<[ThreeTimes<H>], D>;
  /** Recurrent bias `[3H]` (PyTorch's `bias_hh`; kept apart since `n` scales it by `r`). */
  readonly bh: Tensor<[ThreeTimes<H>], D>;
}

function gruInit<const F extends number, const H extends number, D extends FloatDType = 'f32'>(
  key: Key,
  config: RecurrentConfig<F, H, D>,
): GruParams<F, H, D> {
  checkOptions('nn.gru.init', config, RNN_CONFIG_KEYS);
  checkSizes('nn.gru.init', config, ['in', 'hidden']);
  return ownedInit(() => {
    const [k1, k2, k3, k4] = splitKeys(key, { num: 4 }) as [Key, Key, Key, Key];
    const dtype = config.dtype ?? ('f32' as D);
    const { in: f, hidden: h } = config;
    const bias = config.biasInit ?? zerosInit;
    return {
      wx: (config.kernelInit ?? glorotUniform)(k1, [f, 3 * h], { dtype }),
      wh: (config.recurrentInit ?? glorotUniform)(k2, [h, 3 * h], { dtype }),
      bx: bias(k3, [3 * h], { dtype }),
      bh: bias(k4, [3 * h], { dtype }),
    } as never;
  });
}

/**
 * `gru.initFor(key, xs, config)`: `init` with `in` read from the feature dim of the example
 * input `xs [T, B, F]`, so the weights have xs's feature dim in their type.
 */
function gruInitFor<X extends Shape, const H extends number, D extends FloatDType = 'f32'>(
  key: Key,
  xs: Checked<Tensor<X, DType>, RankCheck<'nn.gru.initFor', X, 3>>,
  config: Omit<RecurrentConfig<number, number, FloatDType>, 'in' | 'hidden' | 'dtype'> & {
    readonly hidden: H;
    readonly dtype?: D;
  },
): GruParams<LastDim<X>, H, D> {
  return gruInit(key, configFromExample('nn.gru.initFor', xs, config, 'in', 2, 3)) as never;
}

/**
 * One GRU step for h `[B, H]`, x `[B, F]`: `r = σ(x W_ir + b_ir + h W_hr + b_hr)`,
 * `z = σ(x W_iz + b_iz + h W_hz + b_hz)`, `n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))`,
 * `h' = (1 - z) ⊙ n + z ⊙ h` (PyTorch's `nn.GRUCell`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.gru.init(random.key(0), { in: 3, hidden: 4 });
 * const h1 = nn.gru.cell(p, zeros([2, 4]), zeros([2, 3]));
 * assert.deepEqual(h1.shape, [2, 4]);
 * ```
 */
export function gruCell<B extends Dim, F extends Dim, H extends Dim, X extends Shape, D extends FloatDType>(
  p: GruParams<F, H, D>,
  h: Tensor<[B, H], DType>,
  x: Checked<Tensor<X, DType>, LastDimCheck<'nn.gruCell', 'features', X, F>>,
): Tensor<[B, H], D> {
  lastDimCheck('nn.gruCell', 'features', dims(x as T), dims(p.wx as T)[0]!);
  const hid = dims(p.wh as T)[0]!;
  const gx = add(matmul(x as T, p.wx as T), p.bx as T);
  const gh = add(matmul(h as T, p.wh as T), p.bh as T);
  const gate = (g: T, k: number) => slice(g, [null, [k * hid, (k + 1) * hid]]);
  const r = sigmoid(add(gate(gx, 0), gate(gh, 0)));
  const z = sigmoid(add(gate(gx, 1), gate(gh, 1)));
  const n = tanh(add(gate(gx, 2), mul(r, gate(gh, 2))));
  return add(mul(sub(1, z), n), mul(z, h as T)) as never;
}

function gruApply<X extends Shape, F extends Dim, H extends Dim, D extends FloatDType>(
  p: GruParams<F, H, D>,
  xs: Checked<Tensor<X, DType>, RankCheck<'nn.gru', X, 3>, LastDimCheck<'nn.gru', 'features', X, F>>,
  opts: { readonly initial?: Tensor<[SeqBatch<X>, H], DType> } = {},
): [Tensor<SeqOut<X, H>, D>, Tensor<[SeqBatch<X>, H], D>] {
  checkOptions('nn.gru', opts, ['initial']);
  const h0 = opts.initial;
  const x = xs as T;
  rankCheck('nn.gru', dims(x), 3);
  lastDimCheck('nn.gru', 'features', dims(x), dims(p.wx as T)[0]!);
  const h = h0 ?? zeros([dims(x)[1]!, dims(p.wh as T)[0]!], { dtype: (p.wh as T).dtype });
  if (h0) dimCheck('nn.gru', 'initial state batch', dims(h0 as T)[0]!, dims(x)[1]!);
  const [hT, ys] = scan(
    (hc: T, xt: T) => {
      const hn = gruCell(
        p as unknown as GruParams,
        hc as Tensor<[number, number]>,
        xt as Tensor<[number, number]>,
      ) as T;
      return [hn, hn] as const;
    },
    h as T,
    x,
  );
  return [ys as never, hT as never];
}

/**
 * GRU over a time-major sequence `xs [T, B, F]` with `scan` (one loop in the program, also
 * under grad and jit): returns `[ys [T, B, H], hT [B, H]]`; `h0` defaults to zeros. PyTorch's
 * `nn.GRU` (one layer, unidirectional) with the weights converted as on `GruParams`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 * const p = nn.gru.init(random.key(0), { in: 8, hidden: 16 });
 * const [ys, hT] = nn.gru(p, zeros([6, 2, 8]), { initial: zeros([2, 16]) });
 * assert.deepEqual(ys.shape, [6, 2, 16]);
 * assert.deepEqual([...hT.dataSync()], [...ys.dataSync()].slice(5 * 32)); // the final state is the last output
 * ```
 */
export const gru = Object.assign(gruApply, {
  /** `{ wx: [F, 3H], wh: [H, 3H], bx: [3H], bh: [3H] }` from a key. */
  init: gruInit,
  /** One step: {@link gruCell}. */
  cell: gruCell,
  /** `init` with the input size read from an example input (see `nn.dense.initFor`). */
  initFor: gruInitFor,
});
