/**
 * `data.augment`: keyed image augmentation as pure tensor functions on NCHW batches. They are
 * built from ordinary ops (comparisons, batched `matmul`, `takeAlongAxis`), so they run eagerly
 * or inside `jit` on whichever backend is current, and the same key always gives the same
 * output. Each image of the batch draws its own transform from the key.
 */
import type { FloatDType } from '../core/dtype.ts';
import { describeValue } from '../core/guards.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import { withOwnedScope } from '../core/scope.ts';
import { isTensor, type Tensor } from '../core/tensor.ts';
import { arange } from '../ops/creation.ts';
import {
  add,
  cast,
  cos,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  minimum,
  mul,
  sin,
  sub,
  where,
} from '../ops/elementwise.ts';
import { matmul } from '../ops/linalg.ts';
import { broadcastTo, reshape, takeAlongAxis } from '../ops/shape.ts';
import { flip } from '../ops/split-flip.ts';
import { type Key, splitKeys, uniform } from '../random/index.ts';
import type { Dim } from '../shapes/dim.ts';

/** The shape of a batch of images, `[N, C, H, W]`. */
export type NCHW = readonly [Dim, Dim, Dim, Dim];

// Internally shapes are plain numbers: every public function states its result type.
type T = Tensor<number[], FloatDType>;
const t = (x: unknown): T => x as T;

/** A 4-d float tensor, or an Error naming the function and the value. */
function checkImages(op: string, images: unknown): [number, number, number, number] {
  if (!isTensor(images))
    throw new Error(`${op}: images must be a tensor [N, C, H, W], got ${describeValue(images)}`);
  if (images.ndim !== 4 || (images.dtype !== 'f32' && images.dtype !== 'f64'))
    throw new Error(`${op}: images must be a float tensor [N, C, H, W], got ${images.describe()}`);
  return images.shape as [number, number, number, number];
}

function checkKeyArg(op: string, key: unknown): void {
  if (!isTensor(key) || key.dtype !== 'i32' || key.ndim !== 1 || key.shape[0] !== 2)
    throw new Error(
      `${op}: the first argument must be a key from random.key(seed), got ${describeValue(key)}`,
    );
}

function checkInt(op: string, name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new Error(`${op}: ${name} must be an integer in [${lo}, ${hi}], got ${describeValue(v)}`);
  return v;
}

function checkNumber(op: string, name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi)
    throw new Error(`${op}: ${name} must be a number in [${lo}, ${hi}], got ${describeValue(v)}`);
  return v;
}

/** Frees a call's intermediates when it runs eagerly (inside a transform the transform owns them). */
const owned = (fn: () => T): T => withOwnedScope(fn, (r) => [r]);

/** floor for either sign: the cast to i32 truncates toward zero. */
function floor(v: T): T {
  const tr = t(cast(cast(v, 'i32'), v.dtype));
  return t(sub(tr, cast(greater(tr, v), v.dtype)));
}

/** One integer per image, uniform in [lo, hi], as floats shaped `[n, 1, 1]`. */
function randomInts(key: Key, n: number, lo: number, hi: number, dtype: FloatDType): T {
  const span = hi - lo + 1;
  const u = uniform(key, [n, 1, 1], { dtype });
  // u < 1, so u * span < span; the minimum guards against the last rounding step.
  return t(add(minimum(floor(t(mul(u, span))), span - 1), lo));
}

/** `[n, a, b]` with 1 where `row - col... `: `sel[n, i, j] = (j == i + offset[n])`. */
function oneHotShift(offset: T, a: number, b: number, transposed: boolean): T {
  const i = reshape(arange(a, { dtype: offset.dtype }), [1, a, 1]);
  const j = reshape(arange(b, { dtype: offset.dtype }), [1, 1, b]);
  // rows pick source row i + offset; transposed (for columns) source column j + offset is row i
  const hit = transposed ? equal(i, add(j, offset)) : equal(j, add(i, offset));
  return t(cast(hit, offset.dtype));
}

/**
 * The `[h, w]` window of each image whose top-left corner sits at (dy[n], dx[n]) in image
 * coordinates; rows and columns outside the image read as 0. Two batched one-hot matmuls, so
 * the result is exact (each output pixel is one input pixel times 1, plus zeros).
 */
function windows(x: T, dy: T, dx: T, h: number, w: number): T {
  const [n, c, H, W] = x.shape as [number, number, number, number];
  const rows = broadcastTo(reshape(oneHotShift(dy, h, H, false), [n, 1, h, H]), [n, c, h, H]);
  const cols = broadcastTo(reshape(oneHotShift(dx, W, w, true), [n, 1, W, w]), [n, c, W, w]);
  return t(matmul(matmul(rows, x), cols));
}

/** Options of {@link randomShift}. */
export interface RandomShiftOptions {
  /** The largest shift in pixels, along each of y and x (default 2). */
  readonly maxShift?: number;
}

/**
 * Moves each image by its own random whole-pixel offset (dy, dx), each uniform in
 * [-maxShift, maxShift]; pixels moved in from outside are 0. The same as padding by `maxShift`
 * and cropping back to the original size at a random position (torchvision's
 * `RandomCrop(size, padding)`), with the shape unchanged.
 *
 * @param key a `random.key`; the same key gives the same shifts
 * @param images `[N, C, H, W]`, f32 or f64
 * @param opts `maxShift` (default 2), at most min(H, W) - 1
 * @returns `[N, C, H, W]`, same dtype
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, jit, random, type Tensor, tensor } from 'typegrad';
 *
 * const x = tensor(Float32Array.from({ length: 2 * 16 }, (_, i) => i), [2, 1, 4, 4]);
 * const moved = data.augment.randomShift(random.key(0), x, { maxShift: 1 });
 * assert.deepEqual(moved.shape, [2, 1, 4, 4]);
 * // inside jit, with a fresh key per step: the same key gives the same images
 * const step = jit((k: random.Key, b: Tensor<[2, 1, 4, 4]>) => data.augment.randomShift(k, b, { maxShift: 1 }));
 * assert.deepEqual(step(random.key(0), x).dataSync(), moved.dataSync());
 * ```
 */
export function randomShift<const S extends NCHW, D extends FloatDType>(
  key: Key,
  images: Tensor<[...S], D>,
  opts?: RandomShiftOptions,
): Tensor<[...S], D> {
  const op = 'data.augment.randomShift';
  checkKeyArg(op, key);
  const [n, , H, W] = checkImages(op, images);
  checkOptions(op, opts, optionKeys<RandomShiftOptions>({ maxShift: true }));
  const m = checkInt(op, 'maxShift', opts?.maxShift ?? 2, 0, Math.min(H, W) - 1);
  if (m === 0) return images;
  return owned(() => {
    const [ky, kx] = splitKeys(key, { num: 2 }) as [Key, Key];
    const dy = randomInts(ky, n, -m, m, images.dtype);
    const dx = randomInts(kx, n, -m, m, images.dtype);
    return windows(t(images), dy, dx, H, W);
  }) as never;
}

/** Options of {@link randomCrop}. */
export interface RandomCropOptions {
  /** Zero padding added on every side before cropping (default 0). */
  readonly pad?: number;
}

/**
 * A random `[h, w]` window of each image (after zero padding by `pad` on every side), at a
 * position uniform over all windows that fit: torchvision's `RandomCrop(size, padding)`.
 *
 * @param key a `random.key`
 * @param images `[N, C, H, W]`, f32 or f64
 * @param size `[h, w]`, the crop's size: at most `[H + 2 pad, W + 2 pad]`
 * @param opts `pad` (default 0)
 * @returns `[N, C, h, w]`
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, random, zeros } from 'typegrad';
 *
 * const crops = data.augment.randomCrop(random.key(1), zeros([8, 3, 32, 32]), [24, 24]);
 * assert.deepEqual(crops.shape, [8, 3, 24, 24]); // typed Tensor<[8, 3, 24, 24]>
 * ```
 */
export function randomCrop<
  const S extends NCHW,
  D extends FloatDType,
  const Hc extends number,
  const Wc extends number,
>(
  key: Key,
  images: Tensor<[...S], D>,
  size: readonly [Hc, Wc],
  opts?: RandomCropOptions,
): Tensor<[S[0], S[1], Hc, Wc], D> {
  const op = 'data.augment.randomCrop';
  checkKeyArg(op, key);
  const [n, , H, W] = checkImages(op, images);
  checkOptions(op, opts, optionKeys<RandomCropOptions>({ pad: true }));
  const pad = checkInt(op, 'pad', opts?.pad ?? 0, 0, Math.max(H, W));
  if (!Array.isArray(size) || size.length !== 2)
    throw new Error(`${op}: size must be [h, w], got ${describeValue(size)}`);
  const h = checkInt(op, 'size[0]', size[0], 1, H + 2 * pad);
  const w = checkInt(op, 'size[1]', size[1], 1, W + 2 * pad);
  return owned(() => {
    const [ky, kx] = splitKeys(key, { num: 2 }) as [Key, Key];
    // the window's top-left corner in padded coordinates is in [0, H + 2 pad - h]
    const dy = randomInts(ky, n, -pad, H + pad - h, images.dtype);
    const dx = randomInts(kx, n, -pad, W + pad - w, images.dtype);
    return windows(t(images), dy, dx, h, w);
  }) as never;
}

/** Options of {@link randomFlip}. */
export interface RandomFlipOptions {
  /** Probability that an image is mirrored (default 0.5). */
  readonly p?: number;
}

/**
 * Mirrors each image left to right (along W) with probability `p`, independently per image.
 *
 * @param key a `random.key`
 * @param images `[N, C, H, W]`, f32 or f64
 * @param opts `p` in [0, 1] (default 0.5)
 * @returns `[N, C, H, W]`
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, random, tensor } from 'typegrad';
 *
 * const x = tensor([[[[1, 2, 3]]]]); // [1, 1, 1, 3]
 * const always = data.augment.randomFlip(random.key(0), x, { p: 1 });
 * assert.deepEqual([...always.dataSync()], [3, 2, 1]);
 * ```
 */
export function randomFlip<const S extends NCHW, D extends FloatDType>(
  key: Key,
  images: Tensor<[...S], D>,
  opts?: RandomFlipOptions,
): Tensor<[...S], D> {
  const op = 'data.augment.randomFlip';
  checkKeyArg(op, key);
  const [n] = checkImages(op, images);
  checkOptions(op, opts, optionKeys<RandomFlipOptions>({ p: true }));
  const p = checkNumber(op, 'p', opts?.p ?? 0.5, 0, 1);
  if (p === 0) return images;
  return owned(() => {
    const x = t(images);
    const mirror = less(uniform(key, [n, 1, 1, 1], { dtype: x.dtype }), p);
    return t(where(mirror, flip(x, 3), x));
  }) as never;
}

/** Options of {@link randomAffine}. */
export interface RandomAffineOptions {
  /** The largest rotation, in degrees either way (default 10). */
  readonly degrees?: number;
  /** The range of the zoom factor, `[lo, hi]` with 0 < lo <= hi (default [0.9, 1.1]). */
  readonly scale?: readonly [number, number];
  /** The largest translation in pixels, along each of y and x (default 2). */
  readonly translate?: number;
  /** How a pixel is read between grid points (default 'bilinear'). */
  readonly interpolation?: 'nearest' | 'bilinear';
}

/**
 * A random small affine transform of each image about its centre: rotation by an angle uniform
 * in [-degrees, degrees], zoom uniform in `scale`, translation uniform in
 * [-translate, translate]² pixels. Each output pixel reads the input at the inverse-mapped
 * position (nearest or bilinear); positions outside the image read as 0.
 *
 * @param key a `random.key`
 * @param images `[N, C, H, W]`, f32 or f64
 * @param opts `degrees` (10), `scale` ([0.9, 1.1]), `translate` (2), `interpolation` ('bilinear')
 * @returns `[N, C, H, W]`
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, random, sum, tensor } from 'typegrad';
 *
 * const x = tensor(Float32Array.from({ length: 4 * 28 * 28 }, (_, i) => (i % 28 > 9 && i % 28 < 18 ? 1 : 0)), [4, 1, 28, 28]);
 * const y = data.augment.randomAffine(random.key(0), x, { degrees: 15, interpolation: 'nearest' });
 * assert.deepEqual(y.shape, [4, 1, 28, 28]);
 * // a bar rotated by at most 15 degrees keeps most of its ink
 * const ink = sum(y).item() / sum(x).item();
 * assert.ok(ink > 0.8 && ink < 1.2, `ink ratio ${ink}`);
 * ```
 */
export function randomAffine<const S extends NCHW, D extends FloatDType>(
  key: Key,
  images: Tensor<[...S], D>,
  opts?: RandomAffineOptions,
): Tensor<[...S], D> {
  const op = 'data.augment.randomAffine';
  checkKeyArg(op, key);
  const [n, c, H, W] = checkImages(op, images);
  checkOptions(
    op,
    opts,
    optionKeys<RandomAffineOptions>({ degrees: true, scale: true, translate: true, interpolation: true }),
  );
  const degrees = checkNumber(op, 'degrees', opts?.degrees ?? 10, 0, 180);
  const translate = checkNumber(op, 'translate', opts?.translate ?? 2, 0, Math.max(H, W));
  const scale = opts?.scale ?? [0.9, 1.1];
  if (
    !Array.isArray(scale) ||
    scale.length !== 2 ||
    !scale.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0) ||
    scale[0] > scale[1]
  )
    throw new Error(`${op}: scale must be [lo, hi] with 0 < lo <= hi, got ${describeValue(scale)}`);
  const interpolation = opts?.interpolation ?? 'bilinear';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear')
    throw new Error(
      `${op}: interpolation must be 'nearest' or 'bilinear', got ${describeValue(interpolation)}`,
    );
  return owned(() => {
    const dt = images.dtype;
    const [ka, ks, ky, kx] = splitKeys(key, { num: 4 }) as [Key, Key, Key, Key];
    const u = (k: Key, lo: number, hi: number): T =>
      lo === hi
        ? t(add(t(mul(t(uniform(k, [n, 1, 1], { dtype: dt })), 0)), lo))
        : t(uniform(k, [n, 1, 1], { dtype: dt, minval: lo, maxval: hi }));
    const rad = (degrees * Math.PI) / 180;
    const angle = degrees === 0 ? u(ka, 0, 0) : u(ka, -rad, rad);
    const zoom = u(ks, scale[0], scale[1]);
    const ty = translate === 0 ? u(ky, 0, 0) : u(ky, -translate, translate);
    const tx = translate === 0 ? u(kx, 0, 0) : u(kx, -translate, translate);
    // Output pixel p (about the centre) reads the input at R(-angle) (p - t) / zoom.
    const cy = (H - 1) / 2;
    const cx = (W - 1) / 2;
    const py = t(sub(t(sub(t(reshape(arange(H, { dtype: dt }), [1, H, 1])), cy)), ty)); // [n, H, 1]
    const px = t(sub(t(sub(t(reshape(arange(W, { dtype: dt }), [1, 1, W])), cx)), tx)); // [n, 1, W]
    const cs = t(div(t(cos(angle)), zoom));
    const sn = t(div(t(sin(angle)), zoom));
    const sx = t(add(t(add(t(mul(cs, px)), t(mul(sn, py)))), cx)); // [n, H, W]
    const sy = t(add(t(sub(t(mul(cs, py)), t(mul(sn, px)))), cy));
    const flat = t(reshape(t(images), [n, c, H * W]));
    // The input value at integer (iy, ix), 0 outside the image, weighted: [n, c, H, W].
    const read = (iy: T, ix: T, weight: T): T => {
      const inside = t(
        mul(
          t(mul(t(cast(greaterEqual(iy, 0), dt)), t(cast(less(iy, H), dt)))),
          t(mul(t(cast(greaterEqual(ix, 0), dt)), t(cast(less(ix, W), dt)))),
        ),
      );
      const valid = greater(inside, 0);
      const cy0 = t(where(valid, iy, 0));
      const cx0 = t(where(valid, ix, 0));
      const flatIndex = t(reshape(t(add(t(mul(cy0, W)), cx0)), [n, 1, H * W]));
      const index = broadcastTo(cast(flatIndex, 'i32') as Tensor<number[], 'i32'>, [n, c, H * W]);
      const values = t(takeAlongAxis(flat, index, 2));
      return t(mul(t(reshape(values, [n, c, H, W])), t(reshape(t(mul(inside, weight)), [n, 1, H, W]))));
    };
    if (interpolation === 'nearest') {
      const one = t(add(mul(sx, 0), 1));
      return read(floor(t(add(sy, 0.5))), floor(t(add(sx, 0.5))), one);
    }
    const y0 = floor(sy);
    const x0 = floor(sx);
    const wy = t(sub(sy, y0));
    const wx = t(sub(sx, x0));
    const y1 = t(add(y0, 1));
    const x1 = t(add(x0, 1));
    const vy = t(sub(1, wy));
    const vx = t(sub(1, wx));
    return t(
      add(
        add(read(y0, x0, t(mul(vy, vx))), read(y0, x1, t(mul(vy, wx)))),
        add(read(y1, x0, t(mul(wy, vx))), read(y1, x1, t(mul(wy, wx)))),
      ),
    );
  }) as never;
}
