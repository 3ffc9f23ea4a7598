/**
 * Subgroup reductions (`subgroupAdd`/`subgroupMax` in the tree kernels, where the adapter has
 * `subgroups`): the same results as the workgroup-memory tree (`subgroups: false`) and as
 * plain loops, on odd shapes. Small integers keep f32 sums exact, so they compare exactly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DType } from '../../core/dtype.ts';
import { acquireTestBackend, runPrim, t } from './test-helpers.ts';

const withSg = await acquireTestBackend({ hostForwarding: false, subgroups: true });
const withoutSg = withSg && (await acquireTestBackend({ hostForwarding: false, subgroups: false }));
afterAll(() => {
  withSg?.destroy();
  withoutSg?.destroy();
});
const hasSg = withSg?.device.features.has('subgroups') ?? false;
if (withSg && !hasSg) {
  console.warn(
    `\n*** typegrad: SKIPPING the subgroup reduction tests: the adapter (${withSg.adapterInfo.description}) has no subgroups feature.\n`,
  );
}

/** Reference reduction of a row-major [R, C] array along `axis`. */
function ref(x: number[], R: number, C: number, axis: 0 | 1, kind: 'sum' | 'max'): number[] {
  const out: number[] = [];
  const [nOut, nRed] = axis === 1 ? [R, C] : [C, R];
  for (let o = 0; o < nOut; o++) {
    let acc = kind === 'sum' ? 0 : Number.NEGATIVE_INFINITY;
    for (let r = 0; r < nRed; r++) {
      const v = axis === 1 ? x[o * C + r]! : x[r * C + o]!;
      acc = kind === 'sum' ? acc + v : Math.max(acc, v);
    }
    out.push(acc);
  }
  return out;
}

describe.skipIf(!hasSg)('webgpu subgroup reductions', { timeout: 120_000 }, () => {
  const shapes: [number, number, 0 | 1][] = [
    [1, 65, 1],
    [3, 130, 1],
    [17, 1000, 1],
    [130, 17, 0],
    [65, 3, 0],
  ];
  const cases: [DType, 'sum' | 'max'][] = [
    ['f32', 'sum'],
    ['i32', 'sum'],
    ['i32', 'max'],
    ['bool', 'sum'],
  ];
  for (const [dtype, kind] of cases) {
    it(`reduce_${kind} ${dtype} on odd shapes matches the tree and plain loops`, async () => {
      for (const [R, C, axis] of shapes) {
        const x = Array.from({ length: R * C }, (_, i) =>
          dtype === 'bool' ? ((i * 7) % 3 === 0 ? 1 : 0) : ((i * 37) % 23) - 11,
        );
        const want = ref(x, R, C, axis, kind).map((v) => (dtype === 'bool' ? (v ? 1 : 0) : v));
        const prim = kind === 'sum' ? 'reduce_sum' : 'reduce_max';
        const out = { shape: [axis === 1 ? R : C], dtype };
        const a = await runPrim(withSg!, prim, [t(x, [R, C], dtype)], { axes: [axis] }, out);
        const b = await runPrim(withoutSg!, prim, [t(x, [R, C], dtype)], { axes: [axis] }, out);
        expect(a, `[${R}, ${C}] axis ${axis}`).toEqual(want);
        expect(b).toEqual(want);
      }
    });
  }
});
