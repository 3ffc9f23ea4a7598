/**
 * The paper's Figure 1 (LeCun, Bengio & Hinton 2015): a network with 2 inputs, 2 hidden tanh
 * units and 1 sigmoid output learns to separate two curves that no straight line separates in
 * the input space. The hidden layer bends the input space until the classes sit on either side
 * of a straight line. This module holds the data, the network, its SGD training and the figure.
 */

import { batches } from '../src/data/index.ts';
import {
  add,
  jit,
  matmul,
  mean,
  mul,
  optim,
  random,
  type Scalar,
  sigmoid,
  square,
  sub,
  type Tensor,
  tanh,
  tensor,
  train,
  valueAndGrad,
} from '../src/index.ts';
import { legend, Panel, type Point, svgDocument } from '../src/plot/index.ts';

/** Parameters of the 2-2-1 network; weights are `[in, out]` (`x @ W`). */
export interface Fig1Params {
  readonly w1: Tensor<[2, 2]>;
  readonly b1: Tensor<[2]>;
  readonly w2: Tensor<[2, 1]>;
  readonly b2: Tensor<[1]>;
}

/** Two classes of points as plain arrays: `xs[i] = [x1, x2]`, `ts[i]` is 0 (red) or 1 (blue). */
export interface Fig1Data {
  readonly xs: [number, number][];
  readonly ts: number[];
}

/** The centre line both curves follow: an S-shaped bend. */
export const curve = (x: number): number => 0.45 * Math.tanh(4 * x);

/**
 * `n` points per class on two parallel S-curves, `x2 = curve(x1) ± 0.18`, x1 in [-1, 1], with
 * a little noise. The blue curve (t = 1) lies above the red one (t = 0); no straight line
 * separates them.
 */
export function curvesData(n = 60, seed = 1): Fig1Data {
  const xs: [number, number][] = [];
  const ts: number[] = [];
  // A tiny deterministic generator (mulberry32) keeps the data independent of any backend.
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const [t, offset] of [
    [1, 0.18],
    [0, -0.18],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const x1 = -1 + (2 * (i + rand())) / n;
      xs.push([x1, curve(x1) + offset + 0.03 * (rand() - 0.5)]);
      ts.push(t);
    }
  }
  return { xs, ts };
}

/**
 * Random weights, zero biases. The first layer starts uniform in ±3, large enough that the tanh
 * units already bend the plane a little; from ±1 most seeds stall on a plateau of the squared
 * error for hundreds of epochs.
 */
export function initFig1(seed = 3): Fig1Params {
  const [k1, k2] = random.splitKeys(random.key(seed), { num: 2 }) as [random.Key, random.Key];
  return {
    w1: random.uniform(k1, [2, 2], { minval: -3, maxval: 3 }),
    b1: tensor([0, 0]),
    w2: random.uniform(k2, [2, 1], { minval: -1, maxval: 1 }),
    b2: tensor([0]),
  };
}

/** The hidden layer: `h = tanh(x W1 + b1)`, the map that bends the plane. */
export function hidden(p: Fig1Params, x: Tensor<[number, 2]>): Tensor<[number, 2]> {
  return tanh(add(matmul(x, p.w1), p.b1));
}

/** The whole network: `y = sigmoid(h W2 + b2)`, the probability of the blue class. */
export function fig1Net(p: Fig1Params, x: Tensor<[number, 2]>): Tensor<[number, 1]> {
  return sigmoid(add(matmul(hidden(p, x), p.w2), p.b2));
}

/** The paper's cost: half the squared error, averaged over the examples. */
export function fig1Loss(p: Fig1Params, x: Tensor<[number, 2]>, t: Tensor<[number, 1]>): Scalar {
  return mul(mean(square(sub(fig1Net(p, x), t))), 0.5);
}

export interface Fig1Training {
  readonly params: Fig1Params;
  /** Mean loss over the training set after each epoch. */
  readonly losses: number[];
  /** Fraction of training points on the right side of the decision boundary at the end. */
  readonly accuracy: number;
}

/**
 * Stochastic gradient descent as the paper describes it: show a few examples, compute the
 * gradient of the cost with `grad`, step the weights against it, repeat. The loop is
 * `train.fit` over `data.batches` (a fresh order each epoch), the step `optim.sgd`, jitted.
 */
export async function trainFig1(
  data: Fig1Data,
  opts: { seed?: number; epochs?: number; batchSize?: number; lr?: number } = {},
): Promise<Fig1Training> {
  const { seed = 3, epochs = 60, batchSize = 10, lr = 1 } = opts;
  const n = data.ts.length;
  const opt = optim.sgd(lr);
  type State = ReturnType<typeof opt.init<Fig1Params>>;
  type Points = { readonly x: Tensor<[number, 2]>; readonly t: Tensor<[number, 1]> };
  const step = jit(
    (p: Fig1Params, s: State, b: Points) => {
      const [loss, g] = valueAndGrad(fig1Loss)(p, b.x, b.t);
      const [updates, next] = opt.update(g, s);
      return { params: optim.applyUpdates(p, updates), state: next, loss };
    },
    { donate: [0, 2] }, // the old params and the batch are freed as the step ends
  );
  const all: Points = { x: tensor(data.xs.flat(), [n, 2]), t: tensor(data.ts, [n, 1]) };
  const losses: number[] = [];
  const p0 = initFig1(seed);
  const { params } = await train.fit({
    params: p0,
    state: opt.init(p0),
    step,
    epochs,
    batches: (epoch) => batches(all, { batchSize, key: [seed, epoch], dropLast: true }),
    progress: 'silent',
    callbacks: [
      train.hook<Fig1Params, State>({
        // The loss over the whole training set every ten epochs and at the end.
        onEpochEnd: async ({ epoch }, { params: p }) => {
          if (epoch % 10 === 0 || epoch === epochs) losses.push(await fig1Loss(p, all.x, all.t).itemAsync());
        },
      }),
    ],
  });
  const ys = await fig1Net(params, all.x).data();
  let right = 0;
  for (let i = 0; i < n; i++) if (ys[i]! > 0.5 === data.ts[i]! > 0.5) right++;
  return { params, losses, accuracy: right / n };
}

const BLUE = '#2563eb';
const RED = '#dc2626';
const BLUE_AREA = '#dbeafe';
const RED_AREA = '#fee2e2';
const GRID = '#64748b';

/**
 * The figure: left, the input space with a regular grid, the two curves and the curved decision
 * boundary the network learned; right, the same grid and points mapped through the hidden layer,
 * where one straight line separates the classes.
 */
export async function bentGridSvg(params: Fig1Params, data: Fig1Data): Promise<string> {
  const [a, b, c, d] = await params.w1.data();
  const [b1a, b1b] = await params.b1.data();
  const [v1, v2] = await params.w2.data();
  const [b2] = await params.b2.data();
  const h = (x: number, y: number): Point => [
    Math.tanh(x * a! + y * c! + b1a!),
    Math.tanh(x * b! + y * d! + b1b!),
  ];
  const logitH = (h1: number, h2: number) => h1 * v1! + h2 * v2! + b2!;
  const logit = (x: number, y: number) => logitH(...h(x, y));

  // The regular grid of the input space, as polylines, mapped through the hidden layer with typegrad.
  const lines: Point[][] = [];
  const samples = 80;
  for (let k = 0; k <= 12; k++) {
    const u = -1.2 + 0.2 * k;
    lines.push(Array.from({ length: samples + 1 }, (_, i): Point => [-1.2 + (2.4 * i) / samples, u]));
    lines.push(Array.from({ length: samples + 1 }, (_, i): Point => [u, -1.2 + (2.4 * i) / samples]));
  }
  const mapAll = async (pts: readonly Point[]): Promise<Point[]> => {
    const out = await hidden(params, tensor(pts.flat(), [pts.length, 2])).data();
    return pts.map((_, i): Point => [out[2 * i]!, out[2 * i + 1]!]);
  };
  const bentLines = await Promise.all(lines.map(mapAll));
  const blue = data.xs.filter((_, i) => data.ts[i] === 1);
  const red = data.xs.filter((_, i) => data.ts[i] === 0);

  const size = 380;
  const top = 70;
  const input = new Panel({
    x: 70,
    y: top,
    width: size,
    height: size,
    xRange: [-1.2, 1.2],
    yRange: [-1.2, 1.2],
    title: 'Input space: no straight line separates the curves',
    xLabel: 'x₁',
    yLabel: 'x₂',
  });
  input.regions((x, y) => logit(x, y) > 0, [RED_AREA, BLUE_AREA]);
  for (const l of lines) input.polyline(l, `stroke="${GRID}" stroke-width="0.7" stroke-opacity="0.7"`);
  input.contour(logit, 'stroke="#0f172a" stroke-width="2.5"');
  input.points(red, RED).points(blue, BLUE);

  const range: Point = [-1.1, 1.1];
  const hid = new Panel({
    x: 70 + size + 110,
    y: top,
    width: size,
    height: size,
    xRange: range,
    yRange: range,
    title: 'Hidden space: the bent grid, a straight boundary',
    xLabel: 'h₁ = tanh(z₁)',
    yLabel: 'h₂ = tanh(z₂)',
  });
  hid.regions((x, y) => logitH(x, y) > 0, [RED_AREA, BLUE_AREA]);
  for (const l of bentLines) hid.polyline(l, `stroke="${GRID}" stroke-width="0.7" stroke-opacity="0.7"`);
  hid.contour(logitH, 'stroke="#0f172a" stroke-width="2.5"', 8);
  hid.points(await mapAll(red), RED).points(await mapAll(blue), BLUE);

  const width = 70 + size + 110 + size + 40;
  const key = legend(80, top + size + 72, [
    { label: 'class 1 (upper curve)', kind: 'point', color: BLUE },
    { label: 'class 0 (lower curve)', kind: 'point', color: RED },
    { label: 'decision boundary (y = 0.5)', kind: 'line', color: '#0f172a' },
    { label: 'regular grid of the input space', kind: 'line', color: GRID },
  ]);
  const heading =
    '<text x="20" y="28" font-size="17" font-weight="700">A 2-2-1 network bends its input space ' +
    '(LeCun, Bengio &amp; Hinton 2015, Figure 1)</text>';
  return svgDocument(width, top + size + 100, [heading, input.render(), hid.render(), key]);
}
