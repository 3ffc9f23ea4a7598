/**
 * LeNet-5 (LeCun et al. 1998), the ConvNet of the demo: conv 1→6 5x5 (pad 2), relu, maxpool 2,
 * conv 6→16 5x5, relu, maxpool 2, dense 400→120→84→10. Parameters are a plain record; the model
 * is a pure function of (params, images).
 */
import type { Batch, ImageSplit } from '../src/data/index.ts';
import { batches } from '../src/data/index.ts';
import {
  add,
  argmax,
  conv2d,
  type Dim,
  div,
  equal,
  expandDims,
  flatten,
  full,
  jit,
  logSoftmax,
  matmul,
  maxPool2d,
  mean,
  mul,
  neg,
  pow,
  random,
  relu,
  type Scalar,
  sqrt,
  sub,
  sum,
  type Tensor,
  takeAlongAxis,
  tensor,
  valueAndGrad,
  zeros,
} from '../src/index.ts';
export interface LeNetParams {
  readonly c1: Tensor<[6, 1, 5, 5]>;
  readonly c1b: Tensor<[6, 1, 1]>;
  readonly c3: Tensor<[16, 6, 5, 5]>;
  readonly c3b: Tensor<[16, 1, 1]>;
  readonly f5: Tensor<[400, 120]>;
  readonly f5b: Tensor<[120]>;
  readonly f6: Tensor<[120, 84]>;
  readonly f6b: Tensor<[84]>;
  readonly f7: Tensor<[84, 10]>;
  readonly f7b: Tensor<[10]>;
}

/** He-uniform weights (fan-in), zero biases. */
export function initLeNet(seed: number): LeNetParams {
  const ks = random.splitKeys(random.key(seed), 5);
  const he = <const S extends readonly number[]>(i: number, shape: S, fanIn: number) => {
    const b = Math.sqrt(6 / fanIn);
    return random.uniform(ks[i]!, shape, { minval: -b, maxval: b });
  };
  return {
    c1: he(0, [6, 1, 5, 5], 25),
    c1b: zeros([6, 1, 1]),
    c3: he(1, [16, 6, 5, 5], 150),
    c3b: zeros([16, 1, 1]),
    f5: he(2, [400, 120], 400),
    f5b: zeros([120]),
    f6: he(3, [120, 84], 120),
    f6b: zeros([84]),
    f7: he(4, [84, 10], 84),
    f7b: zeros([10]),
  };
}

export function lenet<B extends Dim>(p: LeNetParams, x: Tensor<[B, 1, 28, 28]>): Tensor<[B, 10]> {
  const c1 = relu(add(conv2d(x, p.c1, { padding: 2 }), p.c1b)); // [B, 6, 28, 28]
  const s2 = maxPool2d(c1, { window: 2 }); // [B, 6, 14, 14]
  const c3 = relu(add(conv2d(s2, p.c3), p.c3b)); // [B, 16, 10, 10]
  const s4 = maxPool2d(c3, { window: 2 }); // [B, 16, 5, 5]
  const f = flatten(s4, 1); // [B, 400]
  const f5 = relu(add(matmul(f, p.f5), p.f5b)); // [B, 120]
  const f6 = relu(add(matmul(f5, p.f6), p.f6b)); // [B, 84]
  return add(matmul(f6, p.f7), p.f7b); // [B, 10]
}

/** Mean softmax cross-entropy of logits `[B, C]` against integer labels `[B]`. */
export function crossEntropy(logits: Tensor<[number, 10]>, labels: Tensor<[number], 'i32'>): Scalar {
  return neg(mean(takeAlongAxis(logSoftmax(logits), expandDims(labels, 1), 1)));
}

export function lenetLoss(
  p: LeNetParams,
  x: Tensor<[number, 1, 28, 28]>,
  y: Tensor<[number], 'i32'>,
): Scalar {
  return crossEntropy(lenet(p, x), y);
}

type Tree = Record<string, Tensor>;

/** Adam state: step count and the two moment estimates, shaped like the parameters. */
export interface AdamState<P> {
  readonly count: Tensor<[]>;
  readonly mu: P;
  readonly nu: P;
}

export function adamInit<P extends object>(params: P): AdamState<P> {
  const z = () =>
    Object.fromEntries(Object.entries(params as Tree).map(([k, t]) => [k, zeros(t.shape as number[])])) as P;
  return { count: zeros([]), mu: z(), nu: z() };
}

/**
 * One Adam step (Kingma & Ba; PyTorch's eps placement): m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g², p -= lr m̂ / (sqrt(v̂) + eps) with bias-corrected m̂, v̂.
 */
export function adamStep<P extends object>(
  params: P,
  grads: P,
  state: AdamState<P>,
  lr: Tensor<[]>,
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
): [P, AdamState<P>] {
  const count = add(state.count, 1);
  const c1 = sub(1, pow(b1, count));
  const c2 = sub(1, pow(b2, count));
  const np: Tree = {};
  const mu: Tree = {};
  const nu: Tree = {};
  for (const [k, p] of Object.entries(params as Tree)) {
    const g = (grads as Tree)[k]!;
    mu[k] = add(mul((state.mu as Tree)[k]!, b1), mul(g, 1 - b1));
    nu[k] = add(mul((state.nu as Tree)[k]!, b2), mul(mul(g, g), 1 - b2));
    const mhat = div(mu[k]!, c1);
    const vhat = div(nu[k]!, c2);
    np[k] = sub(p, div(mul(mhat, lr), add(sqrt(vhat), eps)));
  }
  return [np as P, { count, mu: mu as P, nu: nu as P }];
}

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak learning rate; it decays linearly to a tenth over the run (after a short warm-up). */
  readonly lr: number;
  readonly seed: number;
  /** Called after every step. */
  readonly onStep?: (info: StepInfo) => void;
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

/** Trains LeNet-5 with Adam on a split of 28×28 images; the step is one jitted program. */
export function trainLeNet(train: ImageSplit, opts: TrainOptions): LeNetParams {
  const { epochs, batchSize, lr, seed, onStep } = opts;
  let params = initLeNet(seed);
  let state = adamInit(params);
  const step = jit(
    (
      p: LeNetParams,
      s: AdamState<LeNetParams>,
      rate: Tensor<[]>,
      x: Tensor<[number, 1, 28, 28]>,
      y: Tensor<[number], 'i32'>,
    ) => {
      const [loss, g] = valueAndGrad(lenetLoss)(p, x, y);
      const [np, ns] = adamStep(p, g, s, rate);
      return [np, ns, loss] as const;
    },
    { donate: [0, 1] },
  );
  const steps = Math.floor(train.n / batchSize);
  const total = epochs * steps;
  const warmup = Math.min(50, Math.floor(total / 10));
  const t0 = performance.now();
  let seen = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let i = 0;
    for (const b of batches(train, { batchSize, key: [seed, epoch], dropRemainder: true })) {
      const t = epoch * steps + i;
      const frac = t < warmup ? (t + 1) / warmup : 1 - (0.9 * (t - warmup)) / Math.max(1, total - warmup);
      const { x, y } = toTensors(b);
      const rate = full([], lr * frac);
      const [np, ns, loss] = step(params, state, rate, x, y);
      params = np;
      state = ns;
      const l = loss.item();
      for (const u of [x, y, rate, loss]) u.dispose();
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
  }
  return params;
}

/** Fraction of a split classified correctly, in batches of `batchSize`. */
export function evaluate(params: LeNetParams, split: ImageSplit, batchSize = 500): number {
  const predict = jit((p: LeNetParams, x: Tensor<[number, 1, 28, 28]>, y: Tensor<[number], 'i32'>) =>
    sum(equal(argmax(lenet(p, x), { axis: 1 }), y)),
  );
  let right = 0;
  for (const b of batches(split, { batchSize })) {
    const { x, y } = toTensors(b);
    const c = predict(params, x, y);
    right += c.item();
    for (const u of [x, y, c]) u.dispose();
  }
  return right / split.n;
}
