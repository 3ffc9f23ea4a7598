import { describe, expect, it } from 'vitest';
import { KERNELS } from '../backends/cpu/index.ts';
import { batchRules } from '../transforms/batch-rules.ts';
import { jvpRules } from '../transforms/jvp-rules.ts';
import { BINARY_PRIMS, PRIM_NAMES, UNARY_PRIMS } from './primitives.ts';
import { shapeRules } from './shape-rules.ts';

describe('the primitive table', () => {
  it('has unique names, and the unary/binary lists are primitives', () => {
    expect(new Set(PRIM_NAMES).size).toBe(PRIM_NAMES.length);
    for (const p of [...UNARY_PRIMS, ...BINARY_PRIMS]) expect(PRIM_NAMES).toContain(p);
  });

  it.each(PRIM_NAMES)('%s has a CPU kernel, a shape rule, a jvp rule and a batching rule', (name) => {
    expect(typeof KERNELS[name], `CPU kernel for ${name}`).toBe('function');
    expect(typeof shapeRules[name], `shape rule for ${name}`).toBe('function');
    expect(typeof jvpRules[name], `jvp rule for ${name}`).toBe('function');
    expect(typeof batchRules[name], `batching rule for ${name}`).toBe('function');
  });

  it('no table has rules for primitives that do not exist', () => {
    for (const table of [KERNELS, shapeRules, jvpRules, batchRules])
      expect(Object.keys(table).sort()).toEqual([...PRIM_NAMES].sort());
  });
});
