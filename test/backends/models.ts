/**
 * Small models for the backend and browser suites, written with the public ops only (so
 * they run on any backend): LeNet-5 and a two-layer MLP, softmax cross-entropy, SGD.
 * Parameters are made from explicit keys, so every backend starts from the same numbers.
 */

import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';

export type T = Tensor<number[], 'f32'>;

export interface LeNetParams {
  readonly c1: T; // [6, 1, 5, 5]
  readonly c1b: T; // [6, 1, 1]
  readonly c3: T; // [16, 6, 5, 5]
  readonly c3b: T; // [16, 1, 1]
  readonly f5: T; // [400, 120]
  readonly f5b: T; // [120]
  readonly f6: T; // [120, 84]
  readonly f6b: T; // [84]
  readonly f7: T; // [84, 10]
  readonly f7b: T; // [10]
}

/** He-normal weights (std sqrt(2 / fan_in)) and zero biases. */
function heNormal(key: tg.random.Key, shape: number[], fanIn: number): T {
  return tg.random.normal(key, shape, { std: Math.sqrt(2 / fanIn) }) as T;
}

export function initLeNet(seed: number): LeNetParams {
  const k = tg.random.splitKeys(tg.random.key(seed), { num: 5 });
  return {
    c1: heNormal(k[0]!, [6, 1, 5, 5], 25),
    c1b: tg.zeros([6, 1, 1]) as T,
    c3: heNormal(k[1]!, [16, 6, 5, 5], 150),
    c3b: tg.zeros([16, 1, 1]) as T,
    f5: heNormal(k[2]!, [400, 120], 400),
    f5b: tg.zeros([120]) as T,
    f6: heNormal(k[3]!, [120, 84], 120),
    f6b: tg.zeros([84]) as T,
    f7: heNormal(k[4]!, [84, 10], 84),
    f7b: tg.zeros([10]) as T,
  };
}

/** LeNet-5: x [B, 1, 28, 28] -> logits [B, 10]. */
export function lenet(p: LeNetParams, x: T): T {
  const c1 = tg.relu(tg.add(tg.conv2d(x, p.c1, { padding: 2 }), p.c1b)); // [B, 6, 28, 28]
  const s2 = tg.maxPool2d(c1, { window: 2 }); // [B, 6, 14, 14]
  const c3 = tg.relu(tg.add(tg.conv2d(s2, p.c3), p.c3b)); // [B, 16, 10, 10]
  const s4 = tg.maxPool2d(c3, { window: 2 }); // [B, 16, 5, 5]
  const f = tg.flatten(s4, { startAxis: 1 }); // [B, 400]
  const f5 = tg.relu(tg.add(tg.matmul(f, p.f5), p.f5b)); // [B, 120]
  const f6 = tg.relu(tg.add(tg.matmul(f5, p.f6), p.f6b)); // [B, 84]
  return tg.add(tg.matmul(f6, p.f7), p.f7b) as T;
}

/** Mean softmax cross-entropy of logits [B, C] against one-hot targets [B, C]. */
export function crossEntropy(logits: T, oneHot: T): Tensor<[], 'f32'> {
  return tg.mean(tg.neg(tg.sum(tg.mul(tg.logSoftmax(logits), oneHot), { axis: 1 }))) as Tensor<[], 'f32'>;
}

/** p - lr * g, leaf by leaf. */
export function sgd<P extends Record<string, T>>(p: P, g: P, lr: number): P {
  const out: Record<string, T> = {};
  for (const k of Object.keys(p)) out[k] = tg.sub(p[k]!, tg.mul(g[k]!, lr)) as T;
  return out as P;
}

/** A deterministic batch: images in [0, 1) and labels 0..9 from a key. */
export function lenetBatch(seed: number, b = 8): { x: T; y: T; labels: number[] } {
  const [kx, ky] = tg.random.splitKeys(tg.random.key(seed), { num: 2 });
  const x = tg.random.uniform(kx!, [b, 1, 28, 28]) as T;
  const labels = Array.from({ length: b }, (_, i) => (i * 7 + seed) % 10);
  void ky;
  const y = tg.oneHot(tg.tensor(Int32Array.from(labels), [b]) as Tensor<number[], 'i32'>, 10) as T;
  return { x, y, labels };
}

/** One LeNet SGD step: returns the loss before the step, the gradients and the new parameters. */
export function lenetStep(p: LeNetParams, x: T, y: T, lr: number) {
  const [loss, grads] = tg.valueAndGrad((q: LeNetParams) => crossEntropy(lenet(q, x), y))(p);
  return {
    loss,
    grads: grads as LeNetParams,
    params: sgd(
      p as unknown as Record<string, T>,
      grads as unknown as Record<string, T>,
      lr,
    ) as unknown as LeNetParams,
  };
}

export interface MlpParams {
  readonly w1: T;
  readonly b1: T;
  readonly w2: T;
  readonly b2: T;
}

export function initMlp(seed: number, nIn: number, hidden: number, nOut: number): MlpParams {
  const [k1, k2] = tg.random.splitKeys(tg.random.key(seed), { num: 2 });
  return {
    w1: heNormal(k1!, [nIn, hidden], nIn),
    b1: tg.zeros([hidden]) as T,
    w2: heNormal(k2!, [hidden, nOut], hidden),
    b2: tg.zeros([nOut]) as T,
  };
}

export function mlp(p: MlpParams, x: T): T {
  return tg.add(tg.matmul(tg.tanh(tg.add(tg.matmul(x, p.w1), p.b1)), p.w2), p.b2) as T;
}

/** One MLP SGD step returning [new params, loss]. */
export function mlpStep(p: MlpParams, x: T, y: T, lr: number): [MlpParams, tg.Scalar] {
  const [loss, g] = tg.valueAndGrad((q: MlpParams) => crossEntropy(mlp(q, x), y))(p);
  const next = sgd(
    p as unknown as Record<string, T>,
    g as unknown as Record<string, T>,
    lr,
  ) as unknown as MlpParams;
  return [next, loss];
}

/** A learnable toy problem: the class is the index of the largest of the first nOut inputs. */
export function mlpBatch(seed: number, b: number, nIn: number, nOut: number): { x: T; y: T } {
  const x = tg.random.normal(tg.random.key(seed), [b, nIn]) as T;
  const first = tg.slice(x, [null, [0, nOut]]) as T;
  const y = tg.oneHot(tg.argmax(first, { axis: 1 }) as Tensor<number[], 'i32'>, nOut) as T;
  return { x, y };
}
