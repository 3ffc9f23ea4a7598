/**
 * The backward scan's weight gradients: summed after the loop by one product over the
 * stacked factors (scan-hoist.ts) where the per-step term is a product or a reduction, in
 * the loop otherwise; loop-invariant residuals are not restacked. Values agree with the
 * same recurrence unrolled in JavaScript (f64, so only rounding differs), on both kernel sets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import {
  add,
  grad,
  jit,
  makeJaxpr,
  matmul,
  mul,
  reshape,
  type Scalar,
  scan,
  setBackend,
  slice,
  sum,
  type Tensor,
  tanh,
  tensor,
  zeros,
} from '../index.ts';

const [T, B, F, H] = [5, 3, 2, 4];
const f64 = (n: number, seed: number, shape: number[]) =>
  tensor(
    Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.6),
    shape,
    { dtype: 'f64' },
  );

interface P {
  wx: Tensor;
  wh: Tensor;
  b: Tensor;
  g: Tensor;
}
const params = (): P => ({
  wx: f64(F * H, 1, [F, H]),
  wh: f64(H * H, 2, [H, H]),
  b: f64(H, 3, [H]),
  g: f64(B * H, 4, [B, H]),
});
const xs = () => f64(T * B * F, 5, [T, B, F]);

/** h' = tanh(x·wx + h·wh + b) · g; y = h'. `g` ([B, H]) enters elementwise, unbroadcast: its gradient's sum stays in the loop. */
const cell = (p: P, h: Tensor, x: Tensor): Tensor =>
  mul(tanh(add(add(matmul(x, p.wx), matmul(h, p.wh)), p.b)), p.g);

const h0 = () => zeros([B, H], { dtype: 'f64' }) as Tensor;

function scanLoss(reverse: boolean) {
  return (p: P, x: Tensor): Scalar => {
    const [, ys] = scan(
      (h: Tensor, xt: Tensor) => {
        const n = cell(p, h, xt);
        return [n, n] as const;
      },
      h0(),
      x as Tensor<[number, number, number]>,
      { reverse },
    );
    return sum(mul(ys as Tensor, ys as Tensor)) as Scalar;
  };
}

function unrolledLoss(reverse: boolean) {
  return (p: P, x: Tensor): Scalar => {
    let h = h0();
    let total: Tensor = zeros([], { dtype: 'f64' });
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const xt = reshape(slice(x, [[t, t + 1]]), [B, F]) as Tensor;
      h = cell(p, h, xt);
      total = add(total, sum(mul(h, h)));
    }
    return total as Scalar;
  };
}

const values = (g: P): Record<string, number[]> =>
  Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Array.from(v.dataSync() as Float64Array)]));

describe('a scan’s weight gradients', () => {
  afterEach(() => {
    cpuBackend.kernels = 'wasm';
  });

  for (const kernels of ['wasm', 'js'] as const) {
    for (const reverse of [false, true]) {
      it(`equal the unrolled loop's (${kernels} kernels, reverse ${reverse}), under grad and jit(grad)`, async () => {
        await setBackend('cpu');
        cpuBackend.kernels = kernels;
        const p = params();
        const x = xs();
        const want = values(grad(unrolledLoss(reverse))(p, x) as P);
        for (const got of [grad(scanLoss(reverse))(p, x), jit(grad(scanLoss(reverse)))(p, x)]) {
          const g = values(got as P);
          for (const k of Object.keys(want)) {
            expect(g[k]!.length).toBe(want[k]!.length);
            g[k]!.forEach((v, i) => {
              expect(v).toBeCloseTo(want[k]![i]!, 12);
            });
          }
        }
      });
    }
  }

  it('are one product (or reduction) over the stacked steps, not a per-step sum in the loop', async () => {
    await setBackend('cpu');
    const program = makeJaxpr(grad(scanLoss(false)))(params(), xs());
    const scans = program.split('\n').filter((l) => l.includes('= scan '));
    expect(scans).toHaveLength(2);
    // wx and wh: contracted over (step, batch) after the loop; b: summed over them.
    expect(program.match(/dot_general \{"lhsContract":\[0,1\],"rhsContract":\[0,1\]/g)).toHaveLength(2);
    expect(program).toContain('reduce_sum {"axes":[0,1]}');
    // The backward scan carries dh and g's accumulator only (g enters elementwise).
    const backward = scans[1]!;
    expect(backward).toMatch(/"numCarry":2/);
    // wh reaches the backward scan as one const, not restacked per step.
    expect(program).not.toMatch(new RegExp(`f64\\[${T}, ${H}, ${H}\\]`));
    // No transpose kernels: each weight gradient comes out in the weight's layout.
    expect(program).not.toContain('= transpose ');
  });
});

describe('dot_general transposed', () => {
  it("gives each operand's cotangent in its own layout, without a transpose", async () => {
    await setBackend('cpu');
    const x = f64(B * F, 6, [B, F]);
    const w = f64(F * H, 7, [F, H]);
    const loss = (a: Tensor, b: Tensor) => sum(mul(matmul(a, b), matmul(a, b))) as Scalar;
    expect(makeJaxpr(grad(loss, { argnums: [0, 1] }))(x, w)).not.toContain('= transpose ');
    const [gx, gw] = grad(loss, { argnums: [0, 1] })(x, w) as [Tensor, Tensor];
    // d/dw Σ (xw)² = 2 xᵀ(xw); d/dx = 2 (xw) wᵀ
    const xv = x.dataSync();
    const wv = w.dataSync();
    const y = (i: number, j: number) => {
      let s = 0;
      for (let k = 0; k < F; k++) s += xv[i * F + k]! * wv[k * H + j]!;
      return s;
    };
    gw.dataSync().forEach((v, at) => {
      const [k, j] = [Math.floor(at / H), at % H];
      let s = 0;
      for (let i = 0; i < B; i++) s += 2 * xv[i * F + k]! * y(i, j);
      expect(v).toBeCloseTo(s, 12);
    });
    gx.dataSync().forEach((v, at) => {
      const [i, k] = [Math.floor(at / F), at % F];
      let s = 0;
      for (let j = 0; j < H; j++) s += 2 * y(i, j) * wv[k * H + j]!;
      expect(v).toBeCloseTo(s, 12);
    });
  });
});
