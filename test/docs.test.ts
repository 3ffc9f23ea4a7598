/**
 * The tutorials are tests: every docs/*.md page type-checks (its compile-error blocks fail with
 * the expected messages) and runs. See scripts/doctest.ts and docs/README.md.
 */
import { relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPages, type CheckResult, REPO, runPage, typecheckPages } from '../scripts/doctest.ts';

const pages = allPages();
// One TypeScript program for all pages; the checker is the slow part (~10 s of CPU).
let checked: CheckResult[] = [];

describe('docs', () => {
  beforeAll(() => {
    checked = typecheckPages(pages);
  }, 240_000);

  it('has tutorials', () => {
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });

  for (const [i, page] of pages.entries()) {
    const name = relative(REPO, page.path);
    it(`${name} type-checks`, () => {
      expect(checked[i]!.problems).toEqual([]);
      const errorBlocks = page.blocks.filter((b) => b.kind === 'compile-error');
      const expected = errorBlocks.reduce((n, b) => n + b.expectations.length, 0);
      expect(checked[i]!.expectedErrors).toBe(expected);
    });

    it(`${name} runs`, async () => {
      await runPage(page);
    }, 120_000);
  }
});
