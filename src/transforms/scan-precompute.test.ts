/**
 * The carry-free products of a scan body run before the loop over every step at once
 * (scan-precompute.ts), and cheap residuals are recomputed by the tangent loop instead of
 * stacked (scan-remat.ts). Values and gradients equal those of the loop that keeps every
 * product inside (`withoutPrecompute`) at f64 rounding, under grad, jit, vmap and jvp.
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  grad,
  jit,
  jvp,
  makeJaxpr,
  matmul,
  mean,
  mul,
  nn,
  random,
  type Scalar,
  scan,
  setBackend,
  sum,
  type Tensor,
  tanh,
  tensor,
  vmap,
  zeros,
} from '../index.ts';
import { withoutPrecompute } from './scan-precompute.ts';

const [T, B, F, H] = [6, 3, 4, 5];
const f64 = (shape: number[], seed: number) =>
  tensor(
    Float64Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      (_, i) => Math.sin(seed * 5.1 + i * 1.3) * 0.7,
    ),
    shape,
    { dtype: 'f64' },
  );
const lstmParams = () => ({ wx: f64([F, 4 * H], 1), wh: f64([H, 4 * H], 2), b: f64([4 * H], 3) });
type P = ReturnType<typeof lstmParams>;
/** A sequence [T, B, F] (f64; the loss takes any float dtype). */
type Seq = Tensor<[number, number, number], 'f32' | 'f64'>;
const seq = () => f64([T, B, F], 4) as unknown as Seq;

/** W4's loss: Σ_t mean(h_t²) through `nn.lstm`. */
const lstmLoss = (p: P, xs: Seq): Scalar => {
  const [ys] = nn.lstm(p as never, xs);
  return sum(mean(mul(ys, ys), { axis: [1, 2] })) as Scalar;
};

const flat = (t: Tensor) => Array.from(t.dataSync() as Float64Array);
function expectSame(got: Tensor, want: Tensor) {
  expect(got.shape).toEqual(want.shape);
  const w = flat(want);
  flat(got).forEach((v, i) => {
    expect(v).toBeCloseTo(w[i]!, 12);
  });
}
const expectSameTree = (got: Record<string, Tensor>, want: Record<string, Tensor>) => {
  for (const k of Object.keys(want)) expectSame(got[k]!, want[k]!);
};

describe('a scan body’s carry-free products', () => {
  it('run before the loop as one product over the stacked steps', () => {
    const program = makeJaxpr(lstmLoss)(lstmParams(), seq());
    const [outer, body] = program.split('body =');
    // x·wx over [T, B, F] before the loop; the loop keeps h·wh only.
    expect(outer).toMatch(new RegExp(`f64\\[${T}, ${B}, ${4 * H}\\] = dot_general`));
    expect(body!.match(/dot_general/g)).toHaveLength(1);
    const kept = withoutPrecompute(() => makeJaxpr(lstmLoss)(lstmParams(), seq()));
    expect(kept.split('body =')[1]!.match(/dot_general/g)).toHaveLength(2);
  });

  it('give the values and gradients of the loop that keeps them (grad, jit(grad), reverse)', async () => {
    await setBackend('cpu');
    const p = lstmParams();
    const xs = seq();
    const want = withoutPrecompute(() => ({ loss: lstmLoss(p, xs), g: grad(lstmLoss)(p, xs) as P }));
    expectSame(lstmLoss(p, xs), want.loss);
    expectSameTree(grad(lstmLoss)(p, xs) as P, want.g);
    expectSameTree(jit(grad(lstmLoss))(p, xs) as P, want.g);
    // A reverse scan whose carry-free part also feeds a y directly.
    const rev = (w: Tensor, x: Seq) => {
      const [h, ys] = scan(
        (c: Tensor, xt: Tensor) => {
          const proj = tanh(matmul(xt, w));
          return [add(mul(c, proj), proj), proj] as const;
        },
        zeros([B, 4 * H], { dtype: 'f64' }) as Tensor,
        x,
        { reverse: true },
      );
      return add(sum(mul(h, h)), sum(ys as Tensor)) as Scalar;
    };
    const w = p.wx;
    const wantRev = withoutPrecompute(() => [rev(w, xs), grad(rev, { argnums: [0, 1] })(w, xs)] as const);
    expectSame(rev(w, xs), wantRev[0]);
    const gotRev = grad(rev, { argnums: [0, 1] })(w, xs) as [Tensor, Tensor];
    expectSame(gotRev[0], wantRev[1][0] as Tensor);
    expectSame(gotRev[1], wantRev[1][1] as Tensor);
  });

  it('agree under vmap and jvp', async () => {
    await setBackend('cpu');
    const p = lstmParams();
    const batch = f64([2, T, B, F], 5);
    const perSeq = (x: Tensor) => lstmLoss(p, x as unknown as Seq);
    const mapped = vmap(perSeq)(batch);
    const wantMapped = withoutPrecompute(() => vmap(perSeq)(batch));
    expectSame(mapped, wantMapped);
    const dp = { wx: f64([F, 4 * H], 6), wh: f64([H, 4 * H], 7), b: f64([4 * H], 8) };
    const xs = seq();
    const f = (q: P) => lstmLoss(q, xs);
    const [v, dv] = jvp(f, [p], [dp]) as [Tensor, Tensor];
    const [wv, wdv] = withoutPrecompute(() => jvp(f, [p], [dp]) as [Tensor, Tensor]);
    expectSame(v, wv);
    expectSame(dv, wdv);
  });

  it('on f32, the LSTM step agrees to f32 rounding, and the primal loop stacks seven residuals', async () => {
    await setBackend('cpu');
    const p = nn.lstm.init(random.key(0), { in: F, hidden: H });
    const xs = random.normal(random.key(1), [T, B, F]);
    const g = grad(lstmLoss)(p as never, xs) as unknown as P;
    const want = withoutPrecompute(() => grad(lstmLoss)(p as never, xs) as unknown as P);
    for (const k of ['wx', 'wh', 'b'] as const) {
      const w = Array.from(want[k].dataSync());
      Array.from(g[k].dataSync()).forEach((x, i) => {
        expect(x).toBeCloseTo(w[i]!, 5);
      });
    }
    // The forward scan returns h, c, ys and, per step, h, c, the four gates and tanh(c):
    // the gates' derivatives (σ(1 − σ), 1 − tanh²) are recomputed by the backward loop.
    const program = makeJaxpr(grad(lstmLoss))(p, xs);
    const forward = program.split('\n').find((l) => l.includes('= scan '))!;
    const stacked = forward.split(' = scan')[0]!.match(new RegExp(`f32\\[${T}, ${B}, ${H}\\]`, 'g'));
    expect(stacked).toHaveLength(1 + 7);
    // The backward loop writes the gate cotangent once (pad-concat.ts): no pads summed.
    const backward = program.split('body =')[2]!;
    expect(backward).toContain('= concatenate');
    expect(backward).not.toContain('= pad');
  });
});
