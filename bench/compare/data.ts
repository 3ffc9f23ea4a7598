/**
 * The workloads of /work/shared/BENCHMARKS.md as plain data every peer builds its own tensors
 * from: sizes, FLOP counts, and inputs and initial parameters drawn from one xorshift stream
 * per tensor (never a library's RNG), so every library computes on identical numbers.
 * Layouts are typegrad's (NCHW images, OIHW kernels, dense weights [in, out], LSTM gates
 * i, f, g, o in one [F, 4H] matrix); an adapter that wants another layout transposes.
 */

/**
 * `n` values uniform in [lo, hi) from an xorshift32 stream seeded with `seed` (≠ 0).
 *
 * @example
 *   xorshift(7, 3); // three values in [-1, 1), the same on every run
 */
export function xorshift(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 0x9e3779b9;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** A tensor as data: row-major values and their shape. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function uniform(seed: number, shape: readonly number[], lo = -1, hi = 1): HostTensor {
  return { shape, data: xorshift(seed, size(shape), lo, hi) };
}

/** Glorot-uniform weights: U(±√(6 / (fanIn + fanOut))). */
function glorot(seed: number, shape: readonly number[], fanIn: number, fanOut: number): HostTensor {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return uniform(seed, shape, -a, a);
}

function zeros(shape: readonly number[]): HostTensor {
  return { shape, data: new Float32Array(size(shape)) };
}

/**
 * Labels `(i·7 + 3) mod classes` as i32 and as a one-hot f32 [batch, classes] matrix.
 *
 * @example
 *   labels(2, 10).ids; // Int32Array [3, 0]
 */
export function labels(batch: number, classes: number): { ids: Int32Array; oneHot: HostTensor } {
  const ids = new Int32Array(batch);
  const hot = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) {
    ids[i] = (i * 7 + 3) % classes;
    hot[i * classes + ids[i]!] = 1;
  }
  return { ids, oneHot: { shape: [batch, classes], data: hot } };
}

/** SGD learning rate of every training workload. */
export const LR = 0.01;

/**
 * W1: square matmul operands.
 *
 * @example
 *   const { a, b } = matmulData(512); // a.shape [512, 512]
 */
export function matmulData(n: number): { a: HostTensor; b: HostTensor } {
  return { a: uniform(11, [n, n]), b: uniform(12, [n, n]) };
}

/** Names of the W2 MLP parameters, in order: w1 b1 w2 b2 w3 b3. */
export const MLP_SIZES = [784, 512, 512, 10] as const;
export const MLP_BATCH = 128;

/**
 * W2: the MLP 784-512-512-10 parameters (dense `w [in, out]`, `b [out]`), a batch and labels.
 *
 * @example
 *   mlpData().params.w1.shape; // [784, 512]
 */
export function mlpData() {
  const params: Record<string, HostTensor> = {};
  for (let l = 0; l < 3; l++) {
    const fanIn = MLP_SIZES[l]!;
    const fanOut = MLP_SIZES[l + 1]!;
    params[`w${l + 1}`] = glorot(21 + l, [fanIn, fanOut], fanIn, fanOut);
    params[`b${l + 1}`] = zeros([fanOut]);
  }
  return { params, x: uniform(20, [MLP_BATCH, 784], 0, 1), ...labels(MLP_BATCH, 10) };
}

/** 3 × the forward matmul FLOPs of one W2 step (forward, and the two backward matmuls). */
export const MLP_FLOP = 3 * 2 * MLP_BATCH * (784 * 512 + 512 * 512 + 512 * 10);

export const LENET_BATCH = 64;

/**
 * W3: LeNet-5 parameters (conv kernels OIHW with biases [O], dense `w [in, out]`), a batch of
 * 28×28×1 images in [0, 1) and labels. conv1 5×5×6 pad 2, conv2 5×5×16, dense 400-120-84-10.
 *
 * @example
 *   lenetData().params.c1w.shape; // [6, 1, 5, 5]
 */
export function lenetData() {
  const params: Record<string, HostTensor> = {
    c1w: glorot(31, [6, 1, 5, 5], 25, 150),
    c1b: zeros([6]),
    c2w: glorot(32, [16, 6, 5, 5], 150, 400),
    c2b: zeros([16]),
    d1w: glorot(33, [400, 120], 400, 120),
    d1b: zeros([120]),
    d2w: glorot(34, [120, 84], 120, 84),
    d2b: zeros([84]),
    d3w: glorot(35, [84, 10], 84, 10),
    d3b: zeros([10]),
  };
  return { params, x: uniform(30, [LENET_BATCH, 1, 28, 28], 0, 1), ...labels(LENET_BATCH, 10) };
}

export const LSTM = { hidden: 128, input: 64, steps: 32, batch: 32 } as const;

/**
 * W4: LSTM parameters (`wx [F, 4H]`, `wh [H, 4H]`, `b [4H]`, gates i, f, g, o) and a
 * time-major sequence `xs [T, B, F]`. The loss is Σ_t mean(h_t²).
 *
 * @example
 *   lstmData().xs.shape; // [32, 32, 64]
 */
export function lstmData() {
  const { hidden: h, input: f, steps: t, batch: b } = LSTM;
  return {
    params: {
      wx: glorot(41, [f, 4 * h], f, 4 * h),
      wh: glorot(42, [h, 4 * h], h, 4 * h),
      b: zeros([4 * h]),
    } as Record<string, HostTensor>,
    xs: uniform(40, [t, b, f]),
  };
}

export const CONV_W5 = { n: 32, c: 64, o: 64, hw: 32, k: 3, pad: 1 } as const;

/**
 * W5: conv2d input [32, 64, 32, 32] and kernel [64, 64, 3, 3] (scaled so outputs stay O(1)).
 *
 * @example
 *   convData().w.shape; // [64, 64, 3, 3]
 */
export function convData(): { x: HostTensor; w: HostTensor } {
  const { n, c, o, hw, k } = CONV_W5;
  return { x: uniform(51, [n, c, hw, hw]), w: glorot(52, [o, c, k, k], c * k * k, o * k * k) };
}

/**
 * 2·N·O·H·W·C·k² for a stride-1 'same' convolution.
 *
 * @example
 *   convFlop(32, 64, 64, 32, 3); // 2_415_919_104
 */
export function convFlop(n: number, c: number, o: number, hw: number, k: number): number {
  return 2 * n * o * hw * hw * c * k * k;
}

/** DISPATCH: chained adds on a [4] tensor read once; DISPATCH_SYNC: each add read back. */
export const DISPATCH_OPS = 1000;
export const DISPATCH_SYNC_OPS = 100;

/** Issue 9's typegrad-only cases: max-pool on [128, 32, 28, 28], 1-input-channel 3×3 conv. */
export const POOL_SHAPE = [128, 32, 28, 28] as const;
export const CONV1 = { n: 128, c: 1, o: 16, hw: 28, k: 3, pad: 1 } as const;

/**
 * NCHW → NHWC (for libraries whose convolutions are channels-last).
 *
 * @example
 *   nchwToNhwc({ shape: [1, 3, 2, 2], data }).shape; // [1, 2, 2, 3]
 */
export function nchwToNhwc(t: HostTensor): HostTensor {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          out[((i * h + y) * w + x) * c + ch] = t.data[((i * c + ch) * h + y) * w + x]!;
  return { shape: [n, h, w, c], data: out };
}

/**
 * NHWC → NCHW (to compare channels-last results with typegrad's).
 *
 * @example
 *   nhwcToNchw({ shape: [1, 2, 2, 3], data }).shape; // [1, 3, 2, 2]
 */
export function nhwcToNchw(t: HostTensor): HostTensor {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          out[((i * c + ch) * h + y) * w + x] = t.data[((i * h + y) * w + x) * c + ch]!;
  return { shape: [n, c, h, w], data: out };
}

/**
 * OIHW → HWIO (tfjs's kernel layout).
 *
 * @example
 *   oihwToHwio({ shape: [16, 6, 5, 5], data }).shape; // [5, 5, 6, 16]
 */
export function oihwToHwio(t: HostTensor): HostTensor {
  const [o, i, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          out[((y * w + x) * i + b) * o + a] = t.data[((a * i + b) * h + y) * w + x]!;
  return { shape: [h, w, i, o], data: out };
}
