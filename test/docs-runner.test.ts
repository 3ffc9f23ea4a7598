/** The doc-test runner itself: block extraction, import rewriting and compile-error checks. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DOCS,
  extractBlocks,
  type Page,
  pageModule,
  REPO,
  rewriteImports,
  typecheckPages,
} from '../scripts/doctest.ts';

const fence = '```';
const page = (md: string): Page => ({
  path: join(DOCS, 'synthetic.md'),
  name: 'synthetic',
  blocks: extractBlocks(md),
});

describe('extractBlocks', () => {
  it('finds ts blocks with their markdown lines and kinds, and skips other fences', () => {
    const md = [
      '# Title', // 1
      `${fence}ts`, // 2
      'const a = 1;', // 3
      fence, // 4
      `${fence}sh`, // 5
      'npm test', // 6
      fence, // 7
      `${fence}ts compile-error`, // 8
      '// @error: not assignable', // 9
      "const b: number = 'x';", // 10
      fence, // 11
      `${fence}ts`, // 12
      '// @error: first line marks it', // 13
      'const c: string = 1;', // 14
      fence, // 15
    ].join('\n');
    const blocks = extractBlocks(md);
    expect(blocks.map((b) => [b.kind, b.line])).toEqual([
      ['run', 3],
      ['compile-error', 9],
      ['compile-error', 13],
    ]);
    expect(blocks[1]!.expectations).toEqual([{ from: 1, to: 2, message: 'not assignable' }]);
  });

  it('rejects a compile-error block without an expectation, and unknown flags', () => {
    expect(() => extractBlocks(`${fence}ts compile-error\nconst a = 1;\n${fence}`)).toThrow(
      /needs at least one/,
    );
    expect(() => extractBlocks(`${fence}ts norun\nconst a = 1;\n${fence}`)).toThrow(
      /unknown code block flag/,
    );
    expect(() => extractBlocks(`${fence}ts\nconst a = 1;\n`)).toThrow(/unclosed/);
  });
});

describe('rewriteImports', () => {
  it('maps the package entry points to the sources and relative paths to docs/', () => {
    const code = [
      "import { grad } from 'typegrad';",
      "import { checkGrads } from 'typegrad/testing';",
      "import { curvesData } from '../examples/fig1.ts';",
      "import assert from 'node:assert/strict';",
      "const m = await import('typegrad/node');",
    ].join('\n');
    const out = rewriteImports(code).split('\n');
    expect(out[0]).toBe(`import { grad } from '${REPO}/src/index.ts';`);
    expect(out[1]).toBe(`import { checkGrads } from '${REPO}/src/testing/index.ts';`);
    expect(out[2]).toBe(`import { curvesData } from '${REPO}/examples/fig1.ts';`);
    expect(out[3]).toBe("import assert from 'node:assert/strict';");
    expect(out[4]).toBe(`const m = await import('${REPO}/src/node.ts');`);
  });
});

describe('pageModule and typecheckPages', () => {
  const md = [
    `${fence}ts`,
    'const n: number = 1;',
    fence,
    `${fence}ts compile-error`,
    '// @error: is not assignable to type',
    'const s: string = n;',
    fence,
    `${fence}ts compile-error`,
    '// @error: this message does not appear',
    'const t: string = n;',
    fence,
    `${fence}ts compile-error`,
    '// @error: anything',
    'const fine: number = n;',
    fence,
    `${fence}ts`,
    'const late: string = n;',
    fence,
  ].join('\n');

  it('concatenates the run blocks in order, leaving compile-error blocks out', () => {
    const m = pageModule(page(md));
    expect(m.source).toContain('const n: number = 1;');
    expect(m.source).toContain('const late');
    expect(m.source).not.toContain('const s: string');
  });

  it('reports unexpected errors at their markdown line, wrong messages, and code that compiles', () => {
    const [r] = typecheckPages([page(md)]);
    expect(r!.expectedErrors).toBe(1);
    const problems = r!.problems.join('\n');
    expect(problems).toMatch(/synthetic\.md:17:7: unexpected error TS2322/);
    expect(problems).toMatch(
      /synthetic\.md:10: expected a compile error containing "this message does not appear"/,
    );
    expect(problems).toMatch(/synthetic\.md:14: expected .* got none \(the code compiles\)/);
    expect(r!.problems).toHaveLength(4); // the wrong-message block's real error is also unexpected
  }, 60_000);
});
