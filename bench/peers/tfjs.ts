/**
 * TensorFlow.js's side of the side-by-side benchmarks: each workload eager, as tfjs runs
 * (no jit), `tidy` around each step, gradients by `valueAndGrads`, the LSTM unrolled, images
 * channels-last (NHWC, HWIO kernels: the same numbers transposed), on the wasm backend
 * (single-threaded, SIMD) or the webgpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import {
  CONV_W5,
  convData,
  DISPATCH_OPS,
  DISPATCH_SYNC_OPS,
  type HostTensor,
  LR,
  LSTM,
  lenetData,
  lstmData,
  matmulData,
  mlpData,
  nchwToNhwc,
  nhwcToNchw,
  oihwToHwio,
} from '../compare/data.ts';
import type { Backend, Case, Peer, Runner } from '../compare/peer.ts';
import { installedVersion } from './versions.ts';

type Params = Record<string, tf.Tensor>;

const tensor = (h: HostTensor): tf.Tensor => tf.tensor(h.data, [...h.shape]);
const tensors = (hs: Record<string, HostTensor>): Params =>
  Object.fromEntries(Object.entries(hs).map(([k, h]) => [k, tensor(h)]));

const crossEntropy = (logits: tf.Tensor, oneHot: tf.Tensor): tf.Scalar =>
  tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits, -1), oneHot), -1))) as tf.Scalar;

const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
  tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);

function mlpLoss(p: Params, [x, y]: tf.Tensor[]): tf.Scalar {
  const h1 = tf.relu(dense(x!, p.w1!, p.b1!));
  const h2 = tf.relu(dense(h1, p.w2!, p.b2!));
  return crossEntropy(dense(h2, p.w3!, p.b3!), y!);
}

/** LeNet-5 channels-last; features go back to NCHW before the flatten (typegrad's order). */
function lenetLoss(p: Params, [x, y]: tf.Tensor[]): tf.Scalar {
  const conv = (v: tf.Tensor, w: tf.Tensor, b: tf.Tensor, pad: number) =>
    tf.relu(tf.add(tf.conv2d(v as tf.Tensor4D, w as tf.Tensor4D, 1, pad), b));
  const pool = (v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid');
  const f1 = pool(conv(x!, p.c1w!, p.c1b!, 2));
  const f2 = pool(conv(f1, p.c2w!, p.c2b!, 0));
  const flat = tf.reshape(tf.transpose(f2, [0, 3, 1, 2]), [f2.shape[0]!, 400]);
  const h1 = tf.relu(dense(flat, p.d1w!, p.d1b!));
  const h2 = tf.relu(dense(h1, p.d2w!, p.d2b!));
  return crossEntropy(dense(h2, p.d3w!, p.d3b!), y!);
}

/** Σ_t mean(h_t²) of an LSTM unrolled over the T tensors `xs` ([B, F] each). */
function lstmLoss(p: Params, xs: tf.Tensor[]): tf.Scalar {
  let h: tf.Tensor = tf.zeros([LSTM.batch, LSTM.hidden]);
  let c: tf.Tensor = tf.zeros([LSTM.batch, LSTM.hidden]);
  let total: tf.Tensor = tf.scalar(0);
  for (const xt of xs) {
    const z = tf.add(
      tf.add(
        tf.matMul(xt as tf.Tensor2D, p.wx as tf.Tensor2D),
        tf.matMul(h as tf.Tensor2D, p.wh as tf.Tensor2D),
      ),
      p.b!,
    );
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
    total = tf.add(total, tf.mean(tf.square(h)));
  }
  return total as tf.Scalar;
}

/** An SGD step `p - lr·g` per tensor inside `tidy`, chained; probe: the first two losses. */
function trainer(init: Params, data: tf.Tensor[], loss: (p: Params, d: tf.Tensor[]) => tf.Scalar): Runner {
  const names = Object.keys(init);
  let params = names.map((k) => init[k]!);
  const once = (): tf.Tensor => {
    const [next, l] = tf.tidy(() => {
      const f = (...ws: tf.Tensor[]) => loss(Object.fromEntries(names.map((k, i) => [k, ws[i]!])), data);
      const { value, grads } = tf.valueAndGrads(f)(params);
      return [params.map((w, i) => tf.sub(w, tf.mul(grads[i]!, LR))), value] as const;
    }) as unknown as [tf.Tensor[], tf.Tensor];
    tf.dispose(params);
    params = next;
    return l;
  };
  return {
    probe: async () => {
      const out: number[] = [];
      for (let i = 0; i < 2; i++) {
        const l = once();
        out.push((await l.data())[0]!);
        l.dispose();
      }
      return out;
    },
    run: async (iters) => {
      for (let i = 0; i < iters; i++) {
        const l = once();
        if (i === iters - 1) await l.data();
        l.dispose();
      }
    },
    dispose: () => tf.dispose([...params, ...data]),
  };
}

/** Runs `f` repeatedly (each result freed), the last one read back (`toNchw` for probes). */
function repeated(f: () => tf.Tensor, owned: tf.Tensor[], toNchw = false): Runner {
  return {
    probe: async () => {
      const y = f();
      const data = (await y.data()) as Float32Array;
      const out = toNchw ? nhwcToNchw({ shape: y.shape, data }).data : data;
      y.dispose();
      return out;
    },
    run: async (iters) => {
      for (let i = 0; i < iters; i++) {
        const y = f();
        if (i === iters - 1) await y.data();
        y.dispose();
      }
    },
    dispose: () => tf.dispose(owned),
  };
}

/** DISPATCH / DISPATCH_SYNC: eager chained adds on a [4] tensor. */
function dispatch(ops: number, sync: boolean): Runner {
  const x0 = tf.zeros([4]);
  const chain = async () => {
    let x = x0;
    for (let i = 0; i < ops; i++) {
      const next = tf.add(x, 1);
      if (x !== x0) x.dispose();
      x = next;
      if (sync) await x.data();
    }
    const v = await x.data();
    x.dispose();
    return v;
  };
  return {
    probe: chain,
    run: async (iters) => {
      for (let i = 0; i < iters; i++) await chain();
    },
    dispose: () => x0.dispose(),
  };
}

function prepareCase(c: Case): Runner | string {
  switch (c.id) {
    case 'W1': {
      const { a, b } = matmulData(Number(c.params.n));
      const [A, B] = [tensor(a), tensor(b)] as [tf.Tensor2D, tf.Tensor2D];
      return repeated(() => tf.matMul(A, B), [A, B]);
    }
    case 'W2': {
      const d = mlpData();
      return trainer(tensors(d.params), [tensor(d.x), tensor(d.oneHot)], mlpLoss);
    }
    case 'W3': {
      const d = lenetData();
      const p = { ...d.params, c1w: oihwToHwio(d.params.c1w!), c2w: oihwToHwio(d.params.c2w!) };
      return trainer(tensors(p), [tensor(nchwToNhwc(d.x)), tensor(d.oneHot)], lenetLoss);
    }
    case 'W4': {
      const d = lstmData();
      const xs = tf.unstack(tensor(d.xs));
      return trainer(tensors(d.params), xs, lstmLoss);
    }
    case 'W5': {
      const d = convData();
      const x = tensor(nchwToNhwc(d.x)) as tf.Tensor4D;
      const w = tensor(oihwToHwio(d.w)) as tf.Tensor4D;
      return repeated(() => tf.conv2d(x, w, 1, CONV_W5.pad), [x, w], true);
    }
    case 'DISPATCH':
      return dispatch(DISPATCH_OPS, false);
    case 'DISPATCH_SYNC':
      return dispatch(DISPATCH_SYNC_OPS, true);
    default:
      return `${c.id} is a typegrad-only case`;
  }
}

/**
 * tfjs on its wasm backend, one thread (backend 'cpu'), or its webgpu backend.
 *
 * @example
 *   const peer = await createPeer('cpu'); const runner = await peer.prepare({ id: 'W2', params: {} });
 */
export async function createPeer(backend: Backend): Promise<Peer> {
  const name = backend === 'cpu' ? 'wasm' : 'webgpu';
  const pkg = `@tensorflow/tfjs-backend-${name}`;
  await import(pkg);
  // single-threaded, as the other peers: tfjs-wasm would otherwise start a pthread pool
  if (backend === 'cpu') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: setBackend('${name}') failed`);
  await tf.ready();
  return {
    name: 'tfjs',
    versions: {
      '@tensorflow/tfjs': installedVersion('@tensorflow/tfjs'),
      [pkg]: installedVersion(pkg),
      backend: name,
    },
    prepare: async (c) => prepareCase(c),
    close: async () => {},
  };
}
