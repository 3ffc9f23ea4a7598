/**
 * LeNet-5 (LeCun et al. 1998), the ConvNet of the demo: conv 1→6 5x5 (pad 2), relu, maxpool 2,
 * conv 6→16 5x5, relu, maxpool 2, dense 400→120→84→10. Parameters are a plain record; the model
 * is a pure function of (params, images).
 */
import type { Batch, ImageSplit } from '../src/data/index.ts';
import { batches } from '../src/data/index.ts';
import {
  add,
  cast,
  data,
  div,
  flatten,
  jit,
  less,
  maxPool2d,
  mul,
  nn,
  optim,
  random,
  relu,
  type Scalar,
  sub,
  type Tensor,
  tensor,
  valueAndGrad,
  where,
} from '../src/index.ts';

export interface LeNetParams {
  readonly c1: nn.Conv2dParams<6, 1, 5, 5>;
  readonly c3: nn.Conv2dParams<16, 6, 5, 5>;
  readonly f5: nn.DenseParams<400, 120>;
  readonly f6: nn.DenseParams<120, 84>;
  readonly f7: nn.DenseParams<84, 10>;
}

/** He-uniform weights (suited to ReLU), zero biases. */
export function initLeNet(seed: number): LeNetParams {
  const [k1, k3, k5, k6, k7] = random.splitKeys(random.key(seed), { num: 5 }) as [
    random.Key,
    ...random.Key[],
  ];
  const kernelInit = nn.init.heUniform;
  return {
    c1: nn.conv2d.init(k1, { in: 1, out: 6, kernel: 5, kernelInit }),
    c3: nn.conv2d.init(k3!, { in: 6, out: 16, kernel: 5, kernelInit }),
    f5: nn.dense.init(k5!, { in: 400, out: 120, kernelInit }),
    f6: nn.dense.init(k6!, { in: 120, out: 84, kernelInit }),
    f7: nn.dense.init(k7!, { in: 84, out: 10, kernelInit }),
  };
}

/** LeNet-5 as a pure function; the shapes in the comments are checked by the types. */
export function lenet<B extends number>(p: LeNetParams, x: Tensor<[B, 1, 28, 28]>): Tensor<[B, 10], 'f32'> {
  const c1 = relu(nn.conv2d(p.c1, x, { padding: 2 })); // [B, 6, 28, 28]
  const s2 = maxPool2d(c1, { window: 2 }); // [B, 6, 14, 14]
  const c3 = relu(nn.conv2d(p.c3, s2)); // [B, 16, 10, 10]
  const s4 = maxPool2d(c3, { window: 2 }); // [B, 16, 5, 5]
  const f = flatten(s4, { startAxis: 1 }); // [B, 400]
  const f5 = relu(nn.dense(p.f5, f)); // [B, 120]
  const f6 = relu(nn.dense(p.f6, f5)); // [B, 84]
  return nn.dense(p.f7, f6); // [B, 10]
}

export function lenetLoss(
  p: LeNetParams,
  x: Tensor<[number, 1, 28, 28]>,
  y: Tensor<[number], 'i32'>,
): Scalar {
  return nn.softmaxCrossEntropy(lenet(p, x), y);
}

/**
 * The demo's learning-rate schedule, written as a user would write one: a linear warm-up over
 * `warmup` steps to `peak`, then a linear decay to a tenth of it at step `total`. A schedule
 * is a function of the optimizer's i32 step count built from ops, so it runs inside `jit`.
 */
export function warmupLinear(peak: number, warmup: number, total: number): optim.Schedule {
  return (count) => {
    const t = cast(count, 'f32');
    const up = div(add(t, 1), warmup);
    const down = sub(1, div(mul(sub(t, warmup), 0.9), Math.max(1, total - warmup)));
    return mul(where(less(t, warmup), up, down), peak) as Tensor<[], 'f32'>;
  };
}

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak learning rate; it decays linearly to a tenth over the run (after a short warm-up). */
  readonly lr: number;
  readonly seed: number;
  /**
   * Shift each training image by up to this many pixels in x and y (0: no augmentation), with
   * `data.augment.randomShift` inside the jitted step.
   */
  readonly shift?: number;
  /** Called after every step. */
  readonly onStep?: (info: StepInfo) => void;
  /** Called after every epoch with the current parameters (do not dispose them). */
  readonly onEpoch?: (epoch: number, params: LeNetParams) => void | Promise<void>;
}

export interface StepInfo {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly examples: number;
  readonly seconds: number;
}

const toTensors = (b: Batch) => ({
  x: tensor(b.x, [b.xShape[0], 1, 28, 28]) as Tensor<[number, 1, 28, 28]>,
  y: tensor(b.y, [b.y.length]) as Tensor<[number], 'i32'>,
});

/**
 * Trains LeNet-5 with Adam on a split of 28×28 images; the step is one jitted program. Values
 * are read with `await` so that the same code runs on the WebGPU backend.
 */
export async function trainLeNet(train: ImageSplit, opts: TrainOptions): Promise<LeNetParams> {
  const { epochs, batchSize, lr, seed, shift = 0, onStep, onEpoch } = opts;
  const augKey = random.key(seed + 1);
  const steps = Math.floor(train.n / batchSize);
  const total = epochs * steps;
  const warmup = Math.min(50, Math.floor(total / 10));
  const opt = optim.adam(warmupLinear(lr, warmup, total));
  let params = initLeNet(seed);
  let state = opt.init(params);
  const step = jit(
    (
      p: LeNetParams,
      s: typeof state,
      x: Tensor<[number, 1, 28, 28]>,
      y: Tensor<[number], 'i32'>,
      k: random.Key,
    ) => {
      const xa = shift > 0 ? data.augment.randomShift(k, x, { maxShift: shift }) : x;
      const [loss, g] = valueAndGrad(lenetLoss)(p, xa, y);
      const [updates, ns] = opt.update(g, s);
      return [optim.applyUpdates(p, updates), ns, loss] as const;
    },
    { donate: [0, 1] },
  );
  const t0 = performance.now();
  let seen = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let i = 0;
    for (const b of batches(train, { batchSize, key: [seed, epoch], dropRemainder: true })) {
      const { x, y } = toTensors(b);
      const k = random.foldIn(augKey, epoch * steps + i); // a fresh augmentation per step
      const [np, ns, loss] = step(params, state, x, y, k);
      params = np;
      state = ns;
      const l = await loss.itemAsync();
      for (const u of [x, y, k, loss]) u.dispose();
      seen += b.y.length;
      i++;
      onStep?.({
        epoch,
        epochs,
        step: i,
        steps,
        loss: l,
        examples: seen,
        seconds: (performance.now() - t0) / 1000,
      });
    }
    await onEpoch?.(epoch, params);
  }
  return params;
}

/** Fraction of a split classified correctly, in batches of `batchSize`. */
export async function evaluate(params: LeNetParams, split: ImageSplit, batchSize = 500): Promise<number> {
  const predict = jit((p: LeNetParams, x: Tensor<[number, 1, 28, 28]>, y: Tensor<[number], 'i32'>) =>
    nn.accuracy(lenet(p, x), y),
  );
  let right = 0;
  for (const b of batches(split, { batchSize })) {
    const { x, y } = toTensors(b);
    const acc = predict(params, x, y);
    right += (await acc.itemAsync()) * b.y.length;
    for (const u of [x, y, acc]) u.dispose();
  }
  return Math.round(right) / split.n;
}
