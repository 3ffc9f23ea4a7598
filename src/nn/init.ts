/**
 * Parameter initialisers. Each is a function `(key, shape, { dtype }?) => Tensor` (an
 * `Initializer`); `uniform({ scale })`, `normal({ std })` and `constant(value)` build one.
 *
 * Fans, for the layouts of this library:
 * - dense weights `[in, out]`: fanIn = in, fanOut = out;
 * - conv weights OIHW `[O, I, ...k]`: receptive = prod(k), fanIn = I * receptive,
 *   fanOut = O * receptive (as PyTorch's `_calculate_fan_in_and_fan_out`);
 * - a vector `[n]`: fanIn = fanOut = n; a scalar: 1 and 1.
 *
 * Formulas (U(-a, a) uniform, N(0, s^2) normal):
 * - Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward
 *   neural networks": glorotUniform a = sqrt(6 / (fanIn + fanOut)); glorotNormal
 *   s = sqrt(2 / (fanIn + fanOut)) (PyTorch's `xavier_*_`; Keras draws glorotNormal from
 *   a normal truncated at 2s and rescaled, we use the plain normal as PyTorch does).
 * - He, Zhang, Ren & Sun (2015), "Delving deep into rectifiers": heUniform
 *   a = sqrt(6 / fanIn); heNormal s = sqrt(2 / fanIn) (PyTorch's `kaiming_*_` with
 *   `nonlinearity='relu'`, mode fan_in).
 * - LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp": lecunUniform
 *   a = sqrt(3 / fanIn); lecunNormal s = sqrt(1 / fanIn).
 */
import type { FloatDType } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import { full } from '../ops/creation.ts';
import type { Key } from '../random/index.ts';
import * as random from '../random/index.ts';

/**
 * Makes a tensor of `shape` from a key.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const scaled: nn.Initializer = (key, shape, opts) => nn.init.glorotUniform(key, shape, opts);
 * assert.deepEqual(scaled(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 */
export type Initializer = <const S extends readonly number[], D extends FloatDType = 'f32'>(
  key: Key,
  shape: S,
  opts?: { readonly dtype?: D },
) => Tensor<S, D>;

/**
 * Fan-in and fan-out of a weight shape (dense `[in, out]`, conv OIHW).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn } from 'typegrad';
 * assert.deepEqual(nn.init.fans([784, 10]), { fanIn: 784, fanOut: 10 });
 * assert.deepEqual(nn.init.fans([6, 1, 5, 5]), { fanIn: 25, fanOut: 150 }); // conv OIHW
 * ```
 */
export function fans(shape: readonly number[]): {
  /** Inputs per output unit: `in` of a dense `[in, out]`, `I` × kernel size of a conv `[O, I, k…]`. */
  fanIn: number;
  /** Outputs per input unit: `out` of a dense `[in, out]`, `O` × kernel size of a conv `[O, I, k…]`. */
  fanOut: number;
} {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

function uniformIn<S extends readonly number[], D extends FloatDType>(
  key: Key,
  shape: S,
  a: number,
  dtype: D | undefined,
): Tensor<S, D> {
  if (!(a > 0)) return full(shape, 0, { dtype: dtype ?? 'f32' }) as Tensor<S, D>;
  return random.uniform(key, shape, { minval: -a, maxval: a, dtype: dtype ?? ('f32' as D) });
}

function normalWith<S extends readonly number[], D extends FloatDType>(
  key: Key,
  shape: S,
  std: number,
  dtype: D | undefined,
): Tensor<S, D> {
  return random.normal(key, shape, { std, dtype: dtype ?? ('f32' as D) });
}

/** The dtype an initialiser was asked for (checking its options). */
function dtypeOf<D extends FloatDType>(opts: { readonly dtype?: D } | undefined): D {
  checkOptions('nn.init', opts, ['dtype']);
  return opts?.dtype ?? ('f32' as D);
}

const positive = (name: string, n: number) => {
  if (!(n > 0)) throw new Error(`nn.init.${name}: fan must be positive, got ${n}`);
  return n;
};

/**
 * U(-a, a), a = sqrt(6 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { max, nn, random } from 'typegrad';
 * const w = nn.init.glorotUniform(random.key(0), [100, 50]);
 * assert.ok(max(w).item() <= Math.sqrt(6 / 150));
 * ```
 */
export const glorotUniform: Initializer = (key, shape, opts) => {
  const { fanIn, fanOut } = fans(shape);
  return uniformIn(key, shape, Math.sqrt(6 / positive('glorotUniform', fanIn + fanOut)), dtypeOf(opts));
};

/**
 * N(0, s^2), s = sqrt(2 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, std } from 'typegrad';
 * const w = nn.init.glorotNormal(random.key(0), [200, 200]);
 * assert.ok(Math.abs(std(w).item() - Math.sqrt(2 / 400)) < 0.005);
 * ```
 */
export const glorotNormal: Initializer = (key, shape, opts) => {
  const { fanIn, fanOut } = fans(shape);
  return normalWith(key, shape, Math.sqrt(2 / positive('glorotNormal', fanIn + fanOut)), dtypeOf(opts));
};

/**
 * U(-a, a), a = sqrt(6 / fanIn).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { max, nn, random } from 'typegrad';
 * const w = nn.init.heUniform(random.key(0), [64, 32]);
 * assert.ok(max(w).item() <= Math.sqrt(6 / 64));
 * ```
 */
export const heUniform: Initializer = (key, shape, opts) =>
  uniformIn(key, shape, Math.sqrt(6 / positive('heUniform', fans(shape).fanIn)), dtypeOf(opts));

/**
 * N(0, s^2), s = sqrt(2 / fanIn).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, std } from 'typegrad';
 * const w = nn.init.heNormal(random.key(0), [256, 256]);
 * assert.ok(Math.abs(std(w).item() - Math.sqrt(2 / 256)) < 0.005);
 * ```
 */
export const heNormal: Initializer = (key, shape, opts) =>
  normalWith(key, shape, Math.sqrt(2 / positive('heNormal', fans(shape).fanIn)), dtypeOf(opts));

/**
 * U(-a, a), a = sqrt(3 / fanIn).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { max, nn, random } from 'typegrad';
 * const w = nn.init.lecunUniform(random.key(0), [48, 8]);
 * assert.ok(max(w).item() <= Math.sqrt(3 / 48));
 * ```
 */
export const lecunUniform: Initializer = (key, shape, opts) =>
  uniformIn(key, shape, Math.sqrt(3 / positive('lecunUniform', fans(shape).fanIn)), dtypeOf(opts));

/**
 * N(0, s^2), s = sqrt(1 / fanIn).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random, std } from 'typegrad';
 * const w = nn.init.lecunNormal(random.key(0), [400, 100]);
 * assert.ok(Math.abs(std(w).item() - Math.sqrt(1 / 400)) < 0.005);
 * ```
 */
export const lecunNormal: Initializer = (key, shape, opts) =>
  normalWith(key, shape, Math.sqrt(1 / positive('lecunNormal', fans(shape).fanIn)), dtypeOf(opts));

/**
 * An initialiser drawing from U(-scale, scale) (default 0.05, as Keras's RandomUniform).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { abs, max, nn, random } from 'typegrad';
 * const w = nn.init.uniform({ scale: 0.1 })(random.key(0), [10, 10]);
 * assert.ok(max(abs(w)).item() <= 0.1);
 * ```
 */
export function uniform(opts?: { readonly scale?: number }): Initializer {
  checkOptions('nn.init.uniform', opts, ['scale']);
  const scale = opts?.scale ?? 0.05;
  if (!(scale >= 0)) throw new Error(`nn.init.uniform: scale must be non-negative, got ${scale}`);
  return (key, shape, opts) => uniformIn(key, shape, scale, dtypeOf(opts));
}

/**
 * An initialiser drawing from N(0, std^2) (default 0.01, as flax's `normal()`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = nn.dense.init(random.key(0), { in: 3, out: 2, kernelInit: nn.init.normal({ std: 0.02 }) });
 * assert.deepEqual(p.w.shape, [3, 2]);
 * ```
 */
export function normal(opts?: { readonly std?: number }): Initializer {
  checkOptions('nn.init.normal', opts, ['std']);
  const std = opts?.std ?? 0.01;
  if (!(std >= 0)) throw new Error(`nn.init.normal: std must be non-negative, got ${std}`);
  return (key, shape, opts) => normalWith(key, shape, std, dtypeOf(opts));
}

/**
 * An initialiser filling with `value` (the key is unused).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * assert.deepEqual(nn.init.constant(0.5)(random.key(0), [2]).toArray(), [0.5, 0.5]);
 * ```
 */
export function constant(value: number): Initializer {
  return (_key, shape, opts) => full(shape, value, { dtype: dtypeOf(opts) }) as never;
}

/**
 * Zeros (the key is unused).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * assert.deepEqual(nn.init.zeros(random.key(0), [2], { dtype: 'f64' }).toArray(), [0, 0]);
 * ```
 */
export const zeros: Initializer = (_key, shape, opts) => full(shape, 0, { dtype: dtypeOf(opts) }) as never;

/**
 * Ones (the key is unused).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * assert.deepEqual(nn.init.ones(random.key(0), [1, 2]).toArray(), [[1, 1]]);
 * ```
 */
export const ones: Initializer = (_key, shape, opts) => full(shape, 1, { dtype: dtypeOf(opts) }) as never;
