/**
 * typegrad's side of the side-by-side benchmarks: each workload through the public API, as a
 * user writes it (training steps jitted with donated parameters, W4 through `nn.lstm`, i.e.
 * `scan`), on the CPU or the WebGPU backend.
 */
import { readFileSync } from 'node:fs';
import { currentBackend, resetWebGpu } from '../../src/core/backend-registry.ts';
import * as tg from '../../src/index.ts';
import {
  CONV_W5,
  CONV1,
  convData,
  DISPATCH_OPS,
  DISPATCH_SYNC_OPS,
  type HostTensor,
  LR,
  lenetData,
  lstmData,
  matmulData,
  mlpData,
  POOL_SHAPE,
  xorshift,
} from './data.ts';
import type { Backend, Case, Peer, Runner } from './peer.ts';

type T = tg.Tensor;
type Params = Record<string, T>;

const tensor = (h: HostTensor): T => tg.tensor(h.data, [...h.shape]) as T;
const tensors = (hs: Record<string, HostTensor>): Params =>
  Object.fromEntries(Object.entries(hs).map(([k, h]) => [k, tensor(h)]));

/** Plain SGD, `p - lr·g` per leaf (the same update every peer makes). */
function sgd(p: Params, g: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, w]) => [k, tg.sub(w, tg.mul(g[k]!, LR)) as T]));
}

const dense = (x: T, w: T, b: T) => tg.add(tg.matmul(x, w), b) as T;

function mlpLoss(p: Params, x: T, y: T): T {
  const h1 = tg.relu(dense(x, p.w1!, p.b1!));
  const h2 = tg.relu(dense(h1, p.w2!, p.b2!));
  return tg.nn.softmaxCrossEntropy(dense(h2, p.w3!, p.b3!) as never, y as never) as T;
}

function lenetLoss(p: Params, x: T, y: T): T {
  const conv = (v: T, w: T, b: T, padding: number) =>
    tg.relu(tg.add(tg.conv2d(v, w as never, { padding }), tg.reshape(b, [1, -1, 1, 1])) as T);
  const pool = (v: T) => tg.nn.maxPool2d(v, { window: 2 } as never) as T;
  const f1 = pool(conv(x, p.c1w!, p.c1b!, 2));
  const f2 = pool(conv(f1, p.c2w!, p.c2b!, 0));
  const flat = tg.reshape(f2, [f2.shape[0] as number, -1]) as T;
  const h1 = tg.relu(dense(flat, p.d1w!, p.d1b!));
  const h2 = tg.relu(dense(h1, p.d2w!, p.d2b!));
  return tg.nn.softmaxCrossEntropy(dense(h2, p.d3w!, p.d3b!) as never, y as never) as T;
}

/** Σ_t mean(h_t²) over the LSTM's outputs ys [T, B, H]. */
function lstmLoss(p: Params, xs: T): T {
  const [ys] = tg.nn.lstm(p as unknown as tg.nn.LstmParams, xs as never);
  return tg.sum(tg.mean(tg.mul(ys as T, ys as T), { axis: [1, 2] })) as T;
}

/**
 * A training runner: `step(params, ...data) -> [params, loss]` jitted with the parameters
 * donated; `probe()` returns the losses of the first two steps.
 */
function trainer(init: Params, data: T[], loss: (p: Params, ...d: T[]) => T): Runner {
  const step = tg.jit(
    (p: Params, ...d: T[]) => {
      const [l, g] = tg.valueAndGrad((q: Params) => loss(q, ...d) as tg.Scalar)(p);
      return [sgd(p, g as Params), l] as const;
    },
    { donate: [0] },
  );
  let params = init;
  const once = (): T => {
    const [next, l] = step(params, ...data);
    params = next as Params;
    return l as T;
  };
  return {
    probe: async () => {
      const out: number[] = [];
      for (let i = 0; i < 2; i++) {
        const l = once();
        out.push(Number(await l.itemAsync()));
        l.dispose();
      }
      return out;
    },
    run: async (iters) => {
      for (let i = 0; i < iters; i++) {
        const l = once();
        if (i === iters - 1) await l.itemAsync();
        l.dispose();
      }
    },
    dispose: () => tg.dispose([params, data]),
  };
}

/** A runner that computes `f()` (freed each time) and reads the last result back. */
function repeated(f: () => T, owned: T[]): Runner {
  return {
    probe: () => tg.scope(() => f().data()),
    run: async (iters) => {
      for (let i = 0; i < iters; i++) {
        if (i === iters - 1) await tg.scope(() => f().data());
        else tg.scope(() => void f());
      }
    },
    dispose: () => tg.dispose(owned),
  };
}

/** DISPATCH (`sync` false) or DISPATCH_SYNC (true): chained adds on a [4] tensor. */
function dispatch(ops: number, sync: boolean): Runner {
  const x0 = tg.zeros([4]) as T;
  const chain = async () => {
    let x = x0;
    for (let i = 0; i < ops; i++) {
      const next = tg.add(x, 1) as T;
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
      const [A, B] = [tensor(a), tensor(b)];
      return repeated(() => tg.matmul(A, B) as T, [A, B]);
    }
    case 'W2': {
      const d = mlpData();
      return trainer(tensors(d.params), [tensor(d.x), tg.tensor(d.ids, [d.ids.length]) as T], mlpLoss);
    }
    case 'W3': {
      const d = lenetData();
      return trainer(tensors(d.params), [tensor(d.x), tg.tensor(d.ids, [d.ids.length]) as T], lenetLoss);
    }
    case 'W4': {
      const d = lstmData();
      return trainer(tensors(d.params), [tensor(d.xs)], lstmLoss);
    }
    case 'W5': {
      const d = convData();
      const [x, w] = [tensor(d.x), tensor(d.w)];
      return repeated(() => tg.conv2d(x, w as never, { padding: CONV_W5.pad }) as T, [x, w]);
    }
    case 'CONV1': {
      const { n, c: ch, o, hw, k, pad } = CONV1;
      const x = tg.tensor(xorshift(61, n * ch * hw * hw), [n, ch, hw, hw]) as T;
      const w = tg.tensor(xorshift(62, o * ch * k * k), [o, ch, k, k]) as T;
      return repeated(() => tg.conv2d(x, w as never, { padding: pad }) as T, [x, w]);
    }
    case 'MAXPOOL': {
      const size = POOL_SHAPE.reduce((a, b) => a * b, 1);
      const x = tg.tensor(xorshift(71, size), [...POOL_SHAPE]) as T;
      const pool = (v: T) => tg.nn.maxPool2d(v, { window: 2 } as never) as T;
      if (c.params.pass === 'forward') return repeated(() => pool(x), [x]);
      const [y, pull] = tg.vjp(pool, x);
      const dy = tg.tensor(xorshift(72, (y as T).size), [...(y as T).shape]) as T;
      return repeated(() => pull(dy)[0] as T, [x, y as T, dy]);
    }
    case 'DISPATCH':
      return dispatch(DISPATCH_OPS, false);
    case 'DISPATCH_SYNC':
      return dispatch(DISPATCH_SYNC_OPS, true);
  }
}

function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(pkg.version);
}

/**
 * typegrad on `backend` (the WebGPU backend through `navigator.gpu` when it is set).
 *
 * @example
 *   const typegrad = await createTypegradPeer('cpu');
 */
export async function createTypegradPeer(backend: Backend): Promise<Peer> {
  await tg.setBackend(backend);
  return {
    name: 'typegrad',
    versions: { typegrad: ownVersion(), backend },
    prepare: async (c) => prepareCase(c),
    close: async () => {
      const be = currentBackend() as { destroy?: () => void };
      await tg.setBackend('cpu');
      if (backend === 'webgpu') {
        be.destroy?.();
        resetWebGpu();
      }
    },
  };
}
