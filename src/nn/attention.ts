import type { DType, FloatDType } from '../core/dtype.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { softmax } from '../ops/activations.ts';
import { tensor } from '../ops/creation.ts';
import { mul, where } from '../ops/elementwise.ts';
import { einsum, matmul } from '../ops/linalg.ts';
import { reshape, transpose } from '../ops/shape.ts';
import type { Key } from '../random/index.ts';
import { splitKeys } from '../random/index.ts';
import type { Checked, CheckOf, Dim, DimsAgree, Failure, IsTuple, Shape } from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';
import type { LastDim, LastDimCheck, Leading } from './checks.ts';
import { lastDimCheck } from './checks.ts';
import { configFromExample } from './example-input.ts';
import type { Initializer } from './init.ts';
import { glorotUniform } from './init.ts';
import { checkSizes, ownedInit } from './init-scope.ts';

type T = Tensor;
const dims = (t: Tensor) => t.shape as readonly number[];

type SecondLast<S extends Shape> = S extends readonly [...infer _Lead, infer A extends Dim, infer _Last]
  ? A
  : number;

type ValueRule<K extends Shape, V extends Shape> =
  IsTuple<K> extends false
    ? 'ok'
    : IsTuple<V> extends false
      ? 'ok'
      : DimsAgree<SecondLast<K>, SecondLast<V>> extends true
        ? 'ok'
        : Failure<`nn.attention: key length ${SecondLast<K>} and value length ${SecondLast<V>} differ`>;

/** The output `[..., Tq, Dv]` of attention on q `[..., Tq, Dk]` and v `[..., Tk, Dv]`. */
export type AttentionOut<Q extends Shape, V extends Shape> =
  IsTuple<Q> extends false ? number[] : [...Leading<Q>, LastDim<V>];

/**
 * The options of `nn.attention`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const opts: nn.AttentionOptions = { scale: 0 }; // scale 0: every key weighs the same
 * const out = nn.attention(tensor([[1, 0]]), tensor([[1, 0], [0, 1]]), tensor([[2], [4]]), opts);
 * assert.deepEqual(out.toArray(), [[3]]);
 * ```
 */
export interface AttentionOptions {
  /** bool, broadcastable to the scores `[..., Tq, Tk]`: true where a query may attend to a key */
  readonly mask?: Tensor<Shape, 'bool'>;
  /** multiplies q·k (default 1 / sqrt(Dk)) */
  readonly scale?: number;
}

/** The most negative f32 (as JAX's masking value): exp of it minus any finite max is 0. */
const MASKED = -3.4028234663852886e38;

/**
 * Scaled dot-product attention (Vaswani et al. 2017): `softmax(q kᵀ · scale, over keys) v`
 * with `scale = 1 / sqrt(Dk)`; q `[..., Tq, Dk]`, k `[..., Tk, Dk]`, v `[..., Tk, Dv]` ->
 * `[..., Tq, Dv]`. Masked scores are set to the lowest f32 before the softmax, so a row with
 * every key masked attends uniformly instead of giving NaN.
 *
 * @param q queries `[..., Tq, Dk]`.
 * @param k keys `[..., Tk, Dk]`.
 * @param v values `[..., Tk, Dv]`.
 * @param opts `mask` (bool, true where a query may attend) and `scale`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const q = tensor([[1, 0]]);
 * const k = tensor([[1, 0], [0, 1]]);
 * const v = tensor([[10, 0], [0, 10]]);
 * const out = nn.attention(q, k, v, { mask: tensor([[true, false]], { dtype: 'bool' }) });
 * assert.deepEqual(out.toArray(), [[10, 0]]); // only the first key is visible
 * ```
 */
export function attention<Q extends Shape, K extends Shape, V extends Shape, D extends FloatDType>(
  q: Tensor<Q, D>,
  k: Checked<Tensor<K, DType>, LastDimCheck<'nn.attention', 'query dim', K, LastDim<Q>>>,
  v: Checked<Tensor<V, DType>, CheckOf<ValueRule<K, V>>>,
  opts: AttentionOptions = {},
): Tensor<AttentionOut<Q, V>, D> {
  checkOptions('nn.attention', opts, optionKeys<AttentionOptions>({ mask: true, scale: true }));
  const qt = q as T;
  const kt = k as T;
  const vt = v as T;
  if (qt.ndim < 2 || kt.ndim !== qt.ndim || vt.ndim !== qt.ndim)
    throw new ShapeError(
      `attention: q ${qt.describe()}, k ${kt.describe()} and v ${vt.describe()} need the same rank, at least 2`,
    );
  const dk = dims(qt)[qt.ndim - 1]!;
  lastDimCheck('nn.attention', 'query dim', dims(kt), dk);
  const tk = dims(kt)[kt.ndim - 2]!;
  const tv = dims(vt)[vt.ndim - 2]!;
  if (tk !== tv) throw new ShapeError(`nn.attention: key length ${tk} and value length ${tv} differ`);
  const n = kt.ndim;
  const perm = [...Array.from({ length: n - 2 }, (_, i) => i), n - 1, n - 2];
  let scores: T = mul(matmul(qt, transpose(kt, { perm })), opts.scale ?? 1 / Math.sqrt(dk));
  if (opts.mask) scores = where(opts.mask, scores, MASKED);
  return matmul(softmax(scores), vt) as never;
}

/**
 * A causal mask `[T, T]`: query i may attend to keys j <= i.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn } from 'typegrad';
 * assert.deepEqual(nn.causalMask(3).toArray(), [
 *   [true, false, false],
 *   [true, true, false],
 *   [true, true, true],
 * ]);
 * ```
 */
export function causalMask(t: number): Tensor<[number, number], 'bool'> {
  const rows = Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => j <= i));
  return tensorBool(rows, t);
}

function tensorBool(rows: boolean[][], t: number): Tensor<[number, number], 'bool'> {
  return tensor(rows.flat().map(Number), [t, t], { dtype: 'bool' }) as never;
}

// ---------------------------------------------------------------- multi-head attention

/**
 * Multi-head attention weights, heads kept as an axis so the layer reads the head count from
 * its parameters: `wq, wk, wv: [D, heads, Dh]`, `wo: [heads, Dh, D]` (no biases).
 */
export interface MultiHeadAttentionParams<
  Dm extends Dim = number,
  Hn extends Dim = number,
  Dh extends Dim = number,
  D extends FloatDType = 'f32',
> {
  /** Query projection `[D, heads, Dh]`. */
  readonly wq: Tensor<[Dm, Hn, Dh], D>;
  /** Key projection `[D, heads, Dh]`. */
  readonly wk: Tensor<[Dm, Hn, Dh], D>;
  /** Value projection `[D, heads, Dh]`. */
  readonly wv: Tensor<[Dm, Hn, Dh], D>;
  /** Output projection `[heads, Dh, D]`, mixing the heads back. */
  readonly wo: Tensor<[Hn, Dh, Dm], D>;
}

/**
 * The configuration of `nn.multiHeadAttention.init`: model width, heads and the per-head width.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.multiHeadAttention.init(random.key(0), { dim: 8, heads: 2, headDim: 3 });
 * assert.deepEqual(p.wo.shape, [2, 3, 8]);
 * ```
 */
export interface MultiHeadAttentionConfig<
  Dm extends number,
  Hn extends number,
  Dh extends number,
  D extends FloatDType,
> {
  /** model width */
  readonly dim: Dm;
  /** Number of attention heads. */
  readonly heads: Hn;
  /** per-head width (default dim / heads) */
  readonly headDim?: Dh;
  /** Parameter dtype (default `'f32'`). */
  readonly dtype?: D;
  /** default glorotUniform on the [dim, heads * headDim] view */
  readonly kernelInit?: Initializer;
}

function mhaInit<
  const Dm extends number,
  const Hn extends number,
  const Dh extends number = number,
  D extends FloatDType = 'f32',
>(key: Key, config: MultiHeadAttentionConfig<Dm, Hn, Dh, D>): MultiHeadAttentionParams<Dm, Hn, Dh, D> {
  checkOptions(
    'nn.multiHeadAttention.init',
    config,
    optionKeys<MultiHeadAttentionConfig<number, number, number, FloatDType>>({
      dim: true,
      heads: true,
      headDim: true,
      dtype: true,
      kernelInit: true,
    }),
  );
  checkSizes('nn.multiHeadAttention.init', config, ['dim', 'heads']);
  const { dim, heads } = config;
  const dh = config.headDim ?? dim / heads;
  if (!Number.isInteger(dh) || dh < 1)
    throw new Error(`nn.multiHeadAttention.init: dim ${dim} is not divisible by heads ${heads}`);
  const init = config.kernelInit ?? glorotUniform;
  const dtype = config.dtype ?? ('f32' as D);
  return ownedInit(() => {
    const [k1, k2, k3, k4] = splitKeys(key, { num: 4 }) as [Key, Key, Key, Key];
    const inProj = (k: Key) => reshapeTo(init(k, [dim, heads * dh], { dtype }), [dim, heads, dh]);
    return {
      wq: inProj(k1),
      wk: inProj(k2),
      wv: inProj(k3),
      wo: reshapeTo(init(k4, [heads * dh, dim], { dtype }), [heads, dh, dim]),
    } as never;
  });
}

/**
 * `multiHeadAttention.initFor(key, x, config)`: `init` with `dim` read from the example input's
 * last dim (`[B, T, D]`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, zeros } from 'typegrad';
 *
 * const x = zeros([2, 7, 64]); // [B, T, D]
 * const p = nn.multiHeadAttention.initFor(random.key(0), x, { heads: 4 });
 * assert.deepEqual(p.wq.shape, [64, 4, 16]);
 * assert.deepEqual(nn.multiHeadAttention(p, x).shape, [2, 7, 64]);
 * ```
 */
function mhaInitFor<
  X extends Shape,
  const Hn extends number,
  const Dh extends number = number,
  D extends FloatDType = 'f32',
>(
  key: Key,
  x: Tensor<X, DType>,
  config: Omit<MultiHeadAttentionConfig<number, Hn, Dh, D>, 'dim'>,
): MultiHeadAttentionParams<LastDim<X>, Hn, Dh, D> {
  return mhaInit(key, configFromExample('nn.multiHeadAttention.initFor', x, config, 'dim', -1)) as never;
}

const reshapeTo = (x: T, shape: readonly number[]): T => reshape(x, shape as number[]);

/**
 * The options of `nn.multiHeadAttention`: a cross-attention context and a mask.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.multiHeadAttention.init(random.key(0), { dim: 8, heads: 2 });
 * const context = random.normal(random.key(1), [1, 7, 8]);
 * const opts: nn.MultiHeadAttentionOptions = { context };
 * assert.deepEqual(nn.multiHeadAttention(p, random.normal(random.key(2), [1, 3, 8]), opts).shape, [1, 3, 8]);
 * ```
 */
export interface MultiHeadAttentionOptions<C extends Tensor<Shape, DType> = Tensor<Shape, DType>> {
  /** keys and values come from here (cross-attention); default: the input (self-attention) */
  readonly context?: C;
  /** bool, broadcastable to `[B, heads, Tq, Tk]` (a `[Tq, Tk]` causal mask works) */
  readonly mask?: Tensor<Shape, 'bool'>;
}

/** A cross-attention context `[B, S, D]` must have the model width D as its last dim. */
type ContextCheck<C, Dm extends Dim> =
  C extends Tensor<infer S extends Shape, DType>
    ? LastDimCheck<'nn.multiHeadAttention', 'model dim', S, Dm, 'context width'>
    : unknown;

function mhaApply<
  X extends Shape,
  Dm extends Dim,
  Hn extends Dim,
  Dh extends Dim,
  D extends FloatDType,
  C extends Tensor<Shape, DType> = Tensor<Shape, DType>,
>(
  p: MultiHeadAttentionParams<Dm, Hn, Dh, D>,
  x: Checked<Tensor<X, DType>, LastDimCheck<'nn.multiHeadAttention', 'model dim', X, Dm>>,
  opts: Omit<MultiHeadAttentionOptions<C>, 'context'> & {
    readonly context?: Checked<C, ContextCheck<C, Dm>>;
  } = {},
): Tensor<X, D> {
  const xt = x as T;
  const dm = dims(p.wq as T)[0]!;
  lastDimCheck('nn.multiHeadAttention', 'model dim', dims(xt), dm);
  if (xt.ndim !== 3) throw new ShapeError(`nn.multiHeadAttention: input ${xt.describe()} must be [B, T, D]`);
  checkOptions(
    'nn.multiHeadAttention',
    opts,
    optionKeys<MultiHeadAttentionOptions>({ context: true, mask: true }),
  );
  const ctx = (opts.context ?? xt) as T;
  lastDimCheck('nn.multiHeadAttention', 'model dim', dims(ctx), dm, 'context width');
  const q = einsum('btd,dhk->bhtk', xt, p.wq as T);
  const k = einsum('btd,dhk->bhtk', ctx, p.wk as T);
  const v = einsum('btd,dhk->bhtk', ctx, p.wv as T);
  const o = attention(q as Tensor<Shape, 'f32'>, k as T, v as T, opts.mask ? { mask: opts.mask } : {});
  return einsum('bhtk,hkd->btd', o as T, p.wo as T) as never;
}

/**
 * Multi-head attention (Vaswani et al. 2017) on `[B, T, D]`: per head h,
 * `attention(x wq_h, c wk_h, c wv_h)`, then the heads are mixed back by `wo`.
 *
 * @param p `{ wq, wk, wv: [D, heads, Dh], wo: [heads, Dh, D] }` from `multiHeadAttention.init`.
 * @param x the input `[B, T, D]`; the result has its shape.
 * @param opts `context` `[B, S, D]` (cross-attention) and `mask`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.multiHeadAttention.init(random.key(0), { dim: 16, heads: 4 });
 * const x = random.normal(random.key(1), [2, 5, 16]);
 * const y = nn.multiHeadAttention(p, x, { mask: nn.causalMask(5) });
 * assert.deepEqual(y.shape, [2, 5, 16]);
 * assert.deepEqual(p.wq.shape, [16, 4, 4]);
 * ```
 */
export const multiHeadAttention = Object.assign(mhaApply, {
  /** `{ wq, wk, wv: [dim, heads, headDim], wo: [heads, headDim, dim] }` from a key (Glorot-uniform). */
  init: mhaInit,
  /** `init` with the input size read from an example input (see `nn.dense.initFor`). */
  initFor: mhaInitFor,
});
