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

/** Makes a tensor of `shape` from a key. */
export type Initializer = <const S extends readonly number[], D extends FloatDType = 'f32'>(
  key: Key,
  shape: S,
  opts?: { readonly dtype?: D },
) => Tensor<S, D>;

/** Fan-in and fan-out of a weight shape (dense `[in, out]`, conv OIHW). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
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

/** U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
export const glorotUniform: Initializer = (key, shape, opts) => {
  const { fanIn, fanOut } = fans(shape);
  return uniformIn(key, shape, Math.sqrt(6 / positive('glorotUniform', fanIn + fanOut)), dtypeOf(opts));
};

/** N(0, s^2), s = sqrt(2 / (fanIn + fanOut)). */
export const glorotNormal: Initializer = (key, shape, opts) => {
  const { fanIn, fanOut } = fans(shape);
  return normalWith(key, shape, Math.sqrt(2 / positive('glorotNormal', fanIn + fanOut)), dtypeOf(opts));
};

/** U(-a, a), a = sqrt(6 / fanIn). */
export const heUniform: Initializer = (key, shape, opts) =>
  uniformIn(key, shape, Math.sqrt(6 / positive('heUniform', fans(shape).fanIn)), dtypeOf(opts));

/** N(0, s^2), s = sqrt(2 / fanIn). */
export const heNormal: Initializer = (key, shape, opts) =>
  normalWith(key, shape, Math.sqrt(2 / positive('heNormal', fans(shape).fanIn)), dtypeOf(opts));

/** U(-a, a), a = sqrt(3 / fanIn). */
export const lecunUniform: Initializer = (key, shape, opts) =>
  uniformIn(key, shape, Math.sqrt(3 / positive('lecunUniform', fans(shape).fanIn)), dtypeOf(opts));

/** N(0, s^2), s = sqrt(1 / fanIn). */
export const lecunNormal: Initializer = (key, shape, opts) =>
  normalWith(key, shape, Math.sqrt(1 / positive('lecunNormal', fans(shape).fanIn)), dtypeOf(opts));

/** An initialiser drawing from U(-scale, scale) (default 0.05, as Keras's RandomUniform). */
export function uniform(opts?: { readonly scale?: number }): Initializer {
  checkOptions('nn.init.uniform', opts, ['scale']);
  const scale = opts?.scale ?? 0.05;
  if (!(scale >= 0)) throw new Error(`nn.init.uniform: scale must be non-negative, got ${scale}`);
  return (key, shape, opts) => uniformIn(key, shape, scale, dtypeOf(opts));
}

/** An initialiser drawing from N(0, std^2) (default 0.01, as flax's `normal()`). */
export function normal(opts?: { readonly std?: number }): Initializer {
  checkOptions('nn.init.normal', opts, ['std']);
  const std = opts?.std ?? 0.01;
  if (!(std >= 0)) throw new Error(`nn.init.normal: std must be non-negative, got ${std}`);
  return (key, shape, opts) => normalWith(key, shape, std, dtypeOf(opts));
}

/** An initialiser filling with `value` (the key is unused). */
export function constant(value: number): Initializer {
  return (_key, shape, opts) => full(shape, value, { dtype: dtypeOf(opts) }) as never;
}

/** Zeros (the key is unused). */
export const zeros: Initializer = (_key, shape, opts) => full(shape, 0, { dtype: dtypeOf(opts) }) as never;

/** Ones (the key is unused). */
export const ones: Initializer = (_key, shape, opts) => full(shape, 1, { dtype: dtypeOf(opts) }) as never;
