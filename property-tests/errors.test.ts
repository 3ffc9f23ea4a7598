/**
 * Bad input to the transforms is a clear Error naming what is wrong: grad of a non-scalar
 * function, cotangents of the wrong shape or dtype, differentiating w.r.t. integer inputs,
 * tracers escaping their transform.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.ts';
import {
  cast,
  grad,
  jit,
  jvp,
  mul,
  scope,
  sum,
  tanh,
  tensor,
  valueAndGrad,
  vjp,
  vmap,
} from '../src/index.ts';

const x = () => tensor([1, 2, 3], { dtype: 'f64' }) as Tensor;
const asScalar = (t: Tensor) => t as Tensor<[], 'f64'>;

describe('bad input to transforms', () => {
  it('grad of a function whose output is not a scalar', () => {
    scope(() => {
      expect(() => grad((a: Tensor) => asScalar(mul(a, a)))(x())).toThrowError(
        'grad: the function must return a float scalar, got f64[3]',
      );
      expect(() =>
        valueAndGrad((a: Tensor) => asScalar(sum(a, { axis: 0, keepdims: true })))(x()),
      ).toThrowError('valueAndGrad: the function must return a float scalar, got f64[1]');
      expect(() => grad((a: Tensor) => asScalar(sum(cast(a, 'i32'))))(x())).toThrowError(
        'grad: the function must return a float scalar, got i32[]',
      );
      return 0;
    });
  });

  it('a cotangent of the wrong shape or dtype passed to the pullback', () => {
    scope(() => {
      const [, pullback] = vjp((a: Tensor) => mul(a, a), x());
      expect(() => pullback(tensor([1, 2], { dtype: 'f64' }) as never)).toThrowError(
        'vjp: cotangent 0 is f64[2] but the output is f64[3]',
      );
      expect(() => pullback(tensor([1, 2, 3]) as never)).toThrowError(
        'vjp: cotangent 0 is f32[3] but the output is f64[3]',
      );
      const [, pb2] = vjp((a: Tensor) => ({ s: sum(a) as Tensor, t: a }), x());
      expect(() =>
        pb2({
          s: tensor([1], [], { dtype: 'f64' }) as Tensor,
          t: tensor([1, 2, 3], { dtype: 'i32' }) as Tensor,
        }),
      ).toThrowError('vjp: cotangent 1 is i32[3] but the output is f64[3]');
      return 0;
    });
  });

  it('differentiating with respect to an integer input', () => {
    scope(() => {
      const ints = tensor([1, 2], { dtype: 'i32' }) as Tensor;
      expect(() => grad((a: Tensor) => asScalar(sum(a)))(ints)).toThrowError(
        'grad: cannot differentiate with respect to a i32 input (leaf 0); use a float dtype',
      );
      expect(() => vjp((p: { w: Tensor; n: Tensor }) => p.w, { w: x(), n: ints })).toThrowError(
        'vjp: cannot differentiate with respect to a i32 input (leaf 1); use a float dtype',
      );
      // Integer arguments that are not differentiated are fine.
      expect(
        grad((a: Tensor, n: Tensor) => asScalar(mul(sum(a), sum(n))), { argnums: 0 })(x(), ints).shape,
      ).toEqual([3]);
      return 0;
    });
  });

  it('a tracer that escapes its transform (kept in a closure, used later)', () => {
    scope(() => {
      const msg = (from: string, what: string) =>
        `mul: a traced value from ${from} (${what}) escaped its transform; values computed inside grad/vmap/jit must be returned, not kept in a closure and used later`;
      let leaked: Tensor | undefined;
      grad((a: Tensor) => {
        leaked = mul(a, a);
        return asScalar(sum(a));
      })(x());
      expect(() => mul(leaked!, x())).toThrowError(msg('grad/vjp', 'f64[3]'));
      expect(() => leaked!.dataSync()).toThrowError(msg('grad/vjp', 'f64[3]').replace('mul:', 'dataSync:'));
      jit((a: Tensor) => {
        leaked = tanh(a);
        return a;
      })(x());
      expect(() => mul(leaked!, x())).toThrowError(msg('jit', 'f64[3]'));
      vmap((a: Tensor) => {
        leaked = tanh(a);
        return a;
      })(tensor([[1, 2]], { dtype: 'f64' }));
      expect(() => mul(leaked!, tensor([1, 2], { dtype: 'f64' }))).toThrowError(msg('vmap', 'f64[2]'));
      // Used inside another, later transform.
      jvp(
        (a: Tensor) => {
          leaked = tanh(a);
          return a;
        },
        [x()],
        [x()],
      );
      expect(() => grad((b: Tensor) => asScalar(sum(mul(b, leaked!))))(x())).toThrowError(
        msg('jvp', 'f64[3]'),
      );
      return 0;
    });
  });
});
