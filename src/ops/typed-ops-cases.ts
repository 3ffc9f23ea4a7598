/**
 * Negative type tests for the typed transforms and the parity ops (vmap, scan, einsum, split,
 * the transposed convolutions, 1-d/3-d and adaptive pooling, flip, pad, std, max with
 * indices), in the form of compile-error-cases.ts: each snippet fails to compile exactly on
 * its `// ERR:` line with that message under TypeScript 5.9 and 7, and where a case has
 * `runtime`, the op on the same shapes with dynamic dims throws the same text.
 */
import { add, einsum, type Tensor, vmap, zeros } from '../index.ts';
import type { CompileErrorCase } from './compile-error-cases.ts';

const header = "import * as tg from '#typegrad';\nimport type { Tensor } from '#typegrad';\n";

/** A zero tensor whose static shape is unknown, so only the run-time check sees its dims. */
const dyn = (shape: number[], dtype: 'f32' | 'i32' = 'f32') =>
  zeros(shape, { dtype }) as unknown as Tensor<number[], never>;

function opCase(name: string, decls: string, call: string, message: string, runtime?: () => unknown) {
  return {
    name,
    code: `${header}${decls}\n${call} // ERR: ${message}\n`,
    ...(runtime ? { runtime } : {}),
  } satisfies CompileErrorCase;
}

const pairDecl =
  "const pair = (a: Tensor<[3], 'f32'>, b: Tensor<[3], 'f32'>) => tg.add(a, b);\n" +
  "declare const a: Tensor<[32, 3], 'f32'>; declare const b: Tensor<[16, 3], 'f32'>;";

export const typedOpCases: CompileErrorCase[] = [
  opCase(
    'vmap batch sizes',
    pairDecl,
    'tg.vmap(pair)(a, b);',
    'vmap: mapped axes have different sizes 32 and 16',
    () => vmap((x: Tensor, y: Tensor) => add(x, y))(dyn([32, 3]), dyn([16, 3])),
  ),
  opCase(
    'vmap batch sizes at inAxes',
    `${pairDecl}\ndeclare const c: Tensor<[3, 16], 'f32'>;`,
    'tg.vmap(pair, { inAxes: [0, 1] })(a, c);',
    'vmap: mapped axes have different sizes 32 and 16',
    () => vmap((x: Tensor, y: Tensor) => add(x, y), { inAxes: [0, 1] })(dyn([32, 3]), dyn([3, 16])),
  ),
  opCase(
    'einsum index sizes',
    "declare const x: Tensor<['B', 3], 'f32'>; declare const w: Tensor<[4, 5], 'f32'>;",
    "tg.einsum('bi,ij->bj', x, w);",
    'einsum: index i has sizes 3 and 4',
    () => einsum('bi,ij->bj', dyn([2, 3]), dyn([4, 5])),
  ),
  opCase(
    'einsum diagonal sizes',
    "declare const m: Tensor<[3, 4], 'f32'>;",
    "tg.einsum('ii->i', m);",
    'einsum: index i has sizes 3 and 4',
    () => einsum('ii->i', dyn([3, 4])),
  ),
  opCase(
    'einsum ellipsis dims',
    "declare const a: Tensor<[2, 3, 4], 'f32'>; declare const b: Tensor<[5, 4, 6], 'f32'>;",
    "tg.einsum('...ij,...jk->...ik', a, b);",
    'einsum: index ... has sizes 2 and 5',
    () => einsum('...ij,...jk->...ik', dyn([2, 3, 4]), dyn([5, 4, 6])),
  ),
  opCase(
    'einsum operand count',
    "declare const a: Tensor<[2, 3], 'f32'>;",
    "tg.einsum('ij,jk->ik', a);",
    "einsum: 'ij,jk->ik' names 2 operands, got 1",
    () => einsum('ij,jk->ik', dyn([2, 3])),
  ),
];
