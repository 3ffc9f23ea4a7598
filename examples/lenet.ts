/**
 * LeNet-5 (LeCun et al. 1998), the ConvNet of the demo: conv 1→6 5x5 (pad 2), relu, maxpool 2,
 * conv 6→16 5x5, relu, maxpool 2, dense 400→120→84→10. Parameters are a plain record; the model
 * is a pure function of (params, images).
 */
import type { ImageSplit } from '../src/data/index.ts';
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
  train,
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
  /** `train.fit`'s progress line: 'auto' (default: redrawn on a TTY, a line per epoch otherwise), 'silent', ... */
  readonly progress?: train.ProgressMode;
  /** Where the progress line goes (default stdout). */
  readonly sink?: train.ProgressSink;
  /** `train.fit` callbacks: hooks per step or epoch, checkpoints, early stopping. */
  readonly callbacks?: readonly train.Callback<LeNetParams, unknown>[];
  /** Evaluate the accuracy on this split after every epoch (shown on the epoch's line). */
  readonly evaluateOn?: ImageSplit;
}

/** A batch as tensors: images `[B, 1, 28, 28]`, labels `[B]`, and the step's augmentation key. */
interface DigitBatch {
  readonly x: Tensor<[number, 1, 28, 28]>;
  readonly y: Tensor<[number], 'i32'>;
  readonly k?: random.Key;
}

/**
 * The batches of a split as tensors (shuffled by `key` when given), each freed when the next one
 * is drawn: the jitted step has read it by then. `augment` edits the images before the upload.
 */
function* tensorBatches(
  split: ImageSplit,
  opts: data.BatchOptions,
  augKey?: (i: number) => random.Key,
): Generator<DigitBatch> {
  let i = 0;
  for (const b of data.batches(split, opts)) {
    const t = data.toTensors(b) as unknown as DigitBatch;
    const k = augKey?.(i++);
    yield k ? { ...t, k } : t;
    t.x.dispose();
    t.y.dispose();
    k?.dispose();
  }
}

const forward = jit((p: LeNetParams, b: DigitBatch) => ({ logits: lenet(p, b.x), labels: b.y }));

/**
 * Trains LeNet-5 with Adam on a split of 28×28 images with `train.fit`: the step is one jitted
 * program (old parameters and optimizer state donated), the batches come from `data.batches`,
 * and fit prints the progress line (steps/s, examples/s, running loss, ETA). Values are read
 * with `await`, so the same code runs on the WebGPU backend.
 */
export async function trainLeNet(split: ImageSplit, opts: TrainOptions): Promise<LeNetParams> {
  const { epochs, batchSize, lr, seed, shift = 0 } = opts;
  const augKey = random.key(seed + 1);
  const steps = Math.floor(split.n / batchSize);
  const total = epochs * steps;
  const warmup = Math.min(50, Math.floor(total / 10));
  const opt = optim.adam(warmupLinear(lr, warmup, total));
  const params = initLeNet(seed);
  type State = ReturnType<typeof opt.init<LeNetParams>>;
  const step = jit(
    (p: LeNetParams, s: State, b: DigitBatch) => {
      // keyed, pure augmentation inside the jitted step: a fresh key per step, fresh offsets
      const x = shift > 0 && b.k ? data.augment.randomShift(b.k, b.x, { maxShift: shift }) : b.x;
      const [loss, g] = valueAndGrad(lenetLoss)(p, x, b.y);
      const [updates, ns] = opt.update(g, s);
      return { params: optim.applyUpdates(p, updates), state: ns, loss };
    },
    { donate: [0, 1] },
  );
  // batch i of epoch e augments with fold_in(augKey, e·steps + i)
  const keys = (epoch: number) =>
    shift > 0 ? (i: number) => random.foldIn(augKey, epoch * steps + i) : undefined;
  const test = opts.evaluateOn;
  const result = await train.fit({
    params,
    state: opt.init(params),
    step,
    epochs,
    batches: (epoch) => tensorBatches(split, { batchSize, key: [seed, epoch], dropLast: true }, keys(epoch)),
    ...(test
      ? {
          evaluate: {
            batches: () => tensorBatches(test, { batchSize: 500 }),
            forward,
            metrics: [train.accuracy()],
          },
        }
      : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.sink ? { sink: opts.sink } : {}),
    ...(opts.callbacks ? { callbacks: opts.callbacks as readonly train.Callback<LeNetParams, State>[] } : {}),
  });
  return result.params;
}

/**
 * Mean cross-entropy and accuracy of the parameters on a split, in batches of `batchSize`
 * (`train.evaluate`; one forward pass for both).
 */
export async function score(
  params: LeNetParams,
  split: ImageSplit,
  batchSize = 500,
): Promise<{ loss: number; accuracy: number }> {
  const { loss, accuracy } = await train.evaluate(params, tensorBatches(split, { batchSize }), {
    forward,
    metrics: [train.crossEntropy(), train.accuracy()],
  });
  return { loss: loss!, accuracy: accuracy! };
}

/** Fraction of a split classified correctly, in batches of `batchSize` (`train.evaluate`). */
export async function evaluate(params: LeNetParams, split: ImageSplit, batchSize = 500): Promise<number> {
  return (await score(params, split, batchSize)).accuracy;
}
