/**
 * Every primitive has its rules and its property tests: a jvp rule, a transpose rule if it
 * is linear, a batching rule, and an entry below naming the property tests that cover it.
 * Adding a primitive to PRIM_NAMES without all of these fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PrimName } from '../src/core/primitives.ts';
import { PRIM_NAMES } from '../src/core/primitives.ts';
import { batchRules } from '../src/transforms/batch-rules.ts';
import { jvpRules } from '../src/transforms/jvp-rules.ts';
import { transposeRules } from '../src/transforms/transpose-rules.ts';
import { LINEAR_PRIMS, NON_DIFFERENTIABLE, primCases } from './prim-cases.ts';

type TestFile =
  | 'grad-prims.test.ts'
  | 'transpose.test.ts'
  | 'vmap.test.ts'
  | 'jit-scan.test.ts'
  | 'grad-ops.test.ts'
  | 'higher-order.test.ts';

const ALL_PRIM_TESTS: TestFile[] = ['grad-prims.test.ts', 'vmap.test.ts', 'jit-scan.test.ts'];
const LINEAR_TESTS: TestFile[] = [...ALL_PRIM_TESTS, 'transpose.test.ts'];

/** primitive -> the property tests that cover it (generic per-primitive suites iterate PRIM_NAMES). */
const COVERAGE: Record<PrimName, TestFile[]> = {
  neg: LINEAR_TESTS,
  exp: [...ALL_PRIM_TESTS, 'higher-order.test.ts'],
  log: ALL_PRIM_TESTS,
  sin: [...ALL_PRIM_TESTS, 'higher-order.test.ts'],
  cos: ALL_PRIM_TESTS,
  sqrt: ALL_PRIM_TESTS,
  tanh: [...ALL_PRIM_TESTS, 'higher-order.test.ts'],
  logistic: [...ALL_PRIM_TESTS, 'higher-order.test.ts'],
  abs: ALL_PRIM_TESTS,
  sign: ALL_PRIM_TESTS,
  add: LINEAR_TESTS,
  sub: LINEAR_TESTS,
  mul: LINEAR_TESTS,
  div: LINEAR_TESTS,
  pow: ALL_PRIM_TESTS,
  max: ALL_PRIM_TESTS,
  min: ALL_PRIM_TESTS,
  compare: ALL_PRIM_TESTS,
  select: LINEAR_TESTS,
  cast: LINEAR_TESTS,
  reduce_sum: LINEAR_TESTS,
  reduce_max: [...ALL_PRIM_TESTS, 'grad-ops.test.ts'],
  argmax: ALL_PRIM_TESTS,
  window_argmax: ALL_PRIM_TESTS,
  window_max: [...ALL_PRIM_TESTS, 'grad-ops.test.ts'],
  reshape: LINEAR_TESTS,
  broadcast_in_dim: LINEAR_TESTS,
  transpose: LINEAR_TESTS,
  slice: LINEAR_TESTS,
  pad: LINEAR_TESTS,
  concatenate: LINEAR_TESTS,
  rev: LINEAR_TESTS,
  dot_general: [...LINEAR_TESTS, 'grad-ops.test.ts'],
  conv_general: [...LINEAR_TESTS, 'grad-ops.test.ts'],
  gather: [...LINEAR_TESTS, 'grad-ops.test.ts'],
  scatter_add: LINEAR_TESTS,
  random_bits: ALL_PRIM_TESTS,
};

const here = new URL('.', import.meta.url);

describe('primitive table coverage', () => {
  it('every primitive has a jvp rule and a batching rule', () => {
    const missingJvp = PRIM_NAMES.filter(
      (p) => typeof (jvpRules as Record<string, unknown>)[p] !== 'function',
    );
    const missingBatch = PRIM_NAMES.filter(
      (p) => typeof (batchRules as Record<string, unknown>)[p] !== 'function',
    );
    expect(missingJvp, 'primitives without a jvp rule').toEqual([]);
    expect(missingBatch, 'primitives without a batching rule').toEqual([]);
  });

  it('every linear primitive has a transpose rule, and every transpose rule is for a primitive', () => {
    const rules = transposeRules as Record<string, unknown>;
    expect(
      LINEAR_PRIMS.filter((p) => typeof rules[p] !== 'function'),
      'linear primitives without a transpose rule',
    ).toEqual([]);
    expect(Object.keys(rules).filter((p) => !PRIM_NAMES.includes(p as PrimName))).toEqual([]);
    // The transposition test covers exactly the primitives with transpose rules.
    expect([...Object.keys(rules)].sort()).toEqual([...LINEAR_PRIMS].sort());
    for (const p of LINEAR_PRIMS) expect(COVERAGE[p], p).toContain('transpose.test.ts');
  });

  it('every primitive has a case generator and named property tests that exist and iterate it', () => {
    expect(Object.keys(COVERAGE).sort()).toEqual([...PRIM_NAMES].sort());
    expect(Object.keys(primCases).sort()).toEqual([...PRIM_NAMES].sort());
    for (const p of PRIM_NAMES) {
      const files = COVERAGE[p];
      expect(files.length, p).toBeGreaterThan(0);
      for (const f of ALL_PRIM_TESTS) expect(files, p).toContain(f);
      for (const f of files) expect(existsSync(new URL(f, here)), f).toBe(true);
    }
    // The generic suites really iterate the whole table.
    for (const f of ALL_PRIM_TESTS)
      expect(readFileSync(new URL(f, here), 'utf8'), f).toMatch(/for \(const prim of PRIM_NAMES\)/);
    expect(readFileSync(new URL('transpose.test.ts', here), 'utf8')).toMatch(
      /for \(const prim of LINEAR_PRIMS\)/,
    );
    for (const p of NON_DIFFERENTIABLE) expect(PRIM_NAMES).toContain(p);
  });
});
