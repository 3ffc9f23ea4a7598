/**
 * Every `@example` of the public API type-checks and runs (scripts/doctest-jsdoc.ts): the
 * examples are found by walking typedoc's entry points, checked in one TypeScript program and
 * imported one after another in this process.
 */
import { describe, expect, it } from 'vitest';
import { collectAndTypecheck, runExample, where } from '../scripts/doctest-jsdoc.ts';

// Finding and type-checking all examples is one program: ~10 s of CPU on an idle machine.
const c = collectAndTypecheck();

describe('JSDoc @examples', () => {
  it('finds the public examples', () => {
    expect(c.examples.length).toBeGreaterThan(100);
  });

  it('every public @example is a ```ts block (so it runs)', () => {
    const bad = c.unfenced;
    expect(bad.map((u) => `${u.file}:${u.line} (${u.symbol})`)).toEqual([]);
  });

  it('every public function, class and method has an @example', () => {
    const bad = c.withoutExample;
    expect(bad.map((w) => `${w.file} (${w.symbol})`)).toEqual([]);
  });

  it('a skip-run example says why (it needs a GPU or a file)', () => {
    const skipped = c.examples.filter((e) => e.skipRun);
    const unexplained = skipped.filter((e) => !/doctest:\s*skip-run\s*\(\S[^)]*\)/.test(e.code));
    expect(unexplained.map((e) => where(e))).toEqual([]);
  });

  for (const [i, ex] of c.examples.entries()) {
    it(`${where(ex)}${ex.skipRun ? ' type-checks (skip-run)' : ''}`, async () => {
      expect(c.typeErrors[i]).toEqual([]);
      if (!ex.skipRun) await runExample(ex);
    });
  }
});
