/**
 * jax-js's side of the side-by-side benchmarks: each workload written as jax-js's docs
 * teach (ownership with `.ref`, steps under `jit`, W4's LSTM unrolled over T inside the jit),
 * on its `wasm` device (CPU) or `webgpu` device. jax-js is lazy: a repetition keeps every
 * iteration's outputs and realizes them all (`blockUntilReady`, one wait) before it reads the
 * last back and drops them, so no work is skipped and no iteration waits for the device.
 */
import {
  blockUntilReady,
  defaultDevice,
  init,
  type Array as JaxArray,
  jit,
  lax,
  nn,
  numpy as np,
  tree,
  valueAndGrad,
} from '@jax-js/jax';
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
} from '../compare/data.ts';
import type { Backend, Case, Peer, Runner } from '../compare/peer.ts';
import { installedVersion } from './versions.ts';

type A = JaxArray;
type Params = { [name: string]: A };

const array = (h: HostTensor): A => np.array(h.data, { shape: [...h.shape] });
const arrays = (hs: Record<string, HostTensor>): Params =>
  Object.fromEntries(Object.entries(hs).map(([k, h]) => [k, array(h)]));

/** Mean softmax cross-entropy against one-hot targets (consumes both). */
const crossEntropy = (logits: A, oneHot: A): A =>
  nn.logSoftmax(logits, -1).mul(oneHot).sum(-1).mean().mul(-1);

const dense = (x: A, w: A, b: A): A => np.matmul(x, w).add(b);

function mlpLoss(p: Params, [x, y]: A[]): A {
  const h1 = nn.relu(dense(x!, p.w1!, p.b1!));
  const h2 = nn.relu(dense(h1, p.w2!, p.b2!));
  return crossEntropy(dense(h2, p.w3!, p.b3!), y!);
}

function lenetLoss(p: Params, [x, y]: A[]): A {
  const conv = (v: A, w: A, b: A, pad: number) =>
    nn.relu(
      lax
        .conv(
          v,
          w,
          [1, 1],
          [
            [pad, pad],
            [pad, pad],
          ],
        )
        .add(b.reshape([1, -1, 1, 1])),
    );
  const pool = (v: A) => {
    const [n, c, h, w] = v.shape as [number, number, number, number];
    return v.reshape([n, c, h / 2, 2, w / 2, 2]).max([3, 5]);
  };
  const f1 = pool(conv(x!, p.c1w!, p.c1b!, 2));
  const f2 = pool(conv(f1, p.c2w!, p.c2b!, 0));
  const flat = f2.reshape([f2.shape[0]!, 400]);
  const h1 = nn.relu(dense(flat, p.d1w!, p.d1b!));
  const h2 = nn.relu(dense(h1, p.d2w!, p.d2b!));
  return crossEntropy(dense(h2, p.d3w!, p.d3b!), y!);
}

/** Σ_t mean(h_t²) of an LSTM unrolled over the T arrays `xs` ([B, F] each). */
function lstmLoss(p: Params, xs: A[]): A {
  const { batch, hidden } = LSTM;
  let h = np.zeros([batch, hidden]);
  let c = np.zeros([batch, hidden]);
  let total: A | undefined;
  for (const xt of xs) {
    const z = np.matmul(xt, p.wx!.ref).add(np.matmul(h, p.wh!.ref)).add(p.b!.ref);
    const [zi, zf, zg, zo] = np.split(z, 4, 1) as [A, A, A, A];
    c = nn
      .sigmoid(zf)
      .mul(c)
      .add(nn.sigmoid(zi).mul(np.tanh(zg)));
    h = nn.sigmoid(zo).mul(np.tanh(c.ref));
    const term = np.square(h.ref).mean();
    total = total ? total.add(term) : term;
  }
  tree.dispose([h, c, p]);
  return total!;
}

/** A jitted SGD step `(params, data) -> [params, loss]`, chained; probe: the first two losses. */
function trainer(init: Params, data: A[], loss: (p: Params, d: A[]) => A): Runner {
  const step = jit((p: Params, d: A[]) => {
    const [l, g] = valueAndGrad((q: Params) => loss(q, d))(tree.ref(p));
    const next = tree.map((w: A, gw: A) => w.sub(gw.mul(LR)), p, g as Params) as Params;
    return [next, l] as [Params, A];
  });
  let params = init;
  const once = (): A => {
    const [next, l] = step(params, tree.ref(data));
    params = next;
    return l;
  };
  return {
    probe: async () => {
      const out: number[] = [];
      for (let i = 0; i < 2; i++) out.push((await once().data())[0]!);
      return out;
    },
    run: async (iters) => {
      const losses = Array.from({ length: iters }, once);
      await blockUntilReady([params, losses]);
      await losses.pop()!.data();
      tree.dispose(losses);
    },
    dispose: () => {
      tree.dispose([params, data]);
      step.dispose();
    },
  };
}

/** Runs `f` (a jitted function of `args`) repeatedly, each result realized, the last read. */
function repeated(f: ((...a: A[]) => A) & { dispose(): void }, args: A[]): Runner {
  const call = () => f(...args.map((a) => a.ref));
  return {
    probe: () => call().data(),
    run: async (iters) => {
      const outs = Array.from({ length: iters }, call);
      await blockUntilReady(outs);
      await outs.pop()!.data();
      tree.dispose(outs);
    },
    dispose: () => {
      tree.dispose(args);
      f.dispose();
    },
  };
}

/** DISPATCH / DISPATCH_SYNC: eager chained adds on a [4] array (no jit: per-op cost). */
function dispatch(ops: number, sync: boolean): Runner {
  const x0 = np.zeros([4]);
  const chain = async () => {
    let x = x0.ref;
    for (let i = 0; i < ops; i++) {
      x = x.add(1);
      if (sync) await x.ref.data();
    }
    return x.data();
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
      return repeated(
        jit((x: A, y: A) => np.matmul(x, y)),
        [array(a), array(b)],
      );
    }
    case 'W2': {
      const d = mlpData();
      return trainer(arrays(d.params), [array(d.x), array(d.oneHot)], mlpLoss);
    }
    case 'W3': {
      const d = lenetData();
      return trainer(arrays(d.params), [array(d.x), array(d.oneHot)], lenetLoss);
    }
    case 'W4': {
      const d = lstmData();
      const { steps, batch, input } = LSTM;
      const step = batch * input;
      const xs = Array.from({ length: steps }, (_, t) =>
        array({ shape: [batch, input], data: d.xs.data.subarray(t * step, (t + 1) * step) }),
      );
      return trainer(arrays(d.params), xs, lstmLoss);
    }
    case 'W5': {
      const { x, w } = convData();
      const pad = CONV_W5.pad;
      return repeated(
        jit((v: A, k: A) =>
          lax.conv(
            v,
            k,
            [1, 1],
            [
              [pad, pad],
              [pad, pad],
            ],
          ),
        ),
        [array(x), array(w)],
      );
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
 * jax-js on its `wasm` device (backend 'cpu') or its `webgpu` device.
 *
 * @example
 *   const peer = await createPeer('cpu'); const runner = await peer.prepare({ id: 'W2', params: {} });
 */
export async function createPeer(backend: Backend): Promise<Peer> {
  const device = backend === 'cpu' ? 'wasm' : 'webgpu';
  const got = await init(device);
  if (!got.includes(device)) throw new Error(`jax-js: init('${device}') gave no ${device} device`);
  defaultDevice(device);
  return {
    name: 'jax-js',
    versions: { '@jax-js/jax': installedVersion('@jax-js/jax'), device },
    prepare: async (c) => prepareCase(c),
    close: async () => {},
  };
}
