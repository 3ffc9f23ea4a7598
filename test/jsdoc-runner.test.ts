/** The JSDoc doc-test runner itself (scripts/doctest-jsdoc.ts): extraction and module text. */
import { describe, expect, it } from 'vitest';
import { type Example, exampleModule, examplesOfComment, where } from '../scripts/doctest-jsdoc.ts';

const fence = '```';
const comment = (...lines: string[]) => ['/**', ...lines.map((l) => ` * ${l}`.trimEnd()), ' */'].join('\n');

describe('examplesOfComment', () => {
  it('takes the ts blocks of @example tags, gutters removed, at their line in the comment', () => {
    const c = comment(
      'Text with a block that is not an example:',
      `${fence}ts`,
      'notRun();',
      fence,
      '@param x - the input',
      '@example',
      `${fence}ts`,
      "import { add } from 'typegrad';",
      '  const indented = 1;',
      fence,
      `${fence}ts`,
      'second();',
      fence,
    );
    expect(examplesOfComment(c)).toEqual([
      { offset: 8, code: "import { add } from 'typegrad';\n  const indented = 1;" },
      { offset: 12, code: 'second();' },
    ]);
  });

  it('reports an @example without a ts block (it could not run)', () => {
    expect(examplesOfComment(comment('Adds.', '@example add(x, 1) // x + 1'))).toBe('unfenced');
    expect(examplesOfComment(comment('@example', 'add(x, 1);', '@param x - y'))).toBe('unfenced');
    expect(examplesOfComment(comment('No example here.', '@param x - y'))).toEqual([]);
  });
});

describe('exampleModule', () => {
  const ex: Example = {
    file: 'src/ops/thing.ts',
    line: 40,
    symbol: 'thing',
    code: "import { add } from 'typegrad';\nconsole.log(add(1, 2)); // 3",
    skipRun: false,
  };

  it('keeps lines in place (one header line), rewrites imports and checked logs', () => {
    const lines = exampleModule(ex).split('\n');
    expect(lines[0]).toContain('src/ops/thing.ts:40 (thing)');
    expect(lines[1]).toMatch(/^import \{ add \} from '\/.*\/src\/index\.ts';$/);
    expect(lines[2]).toBe('__check([add(1, 2)], "3");');
    expect(where(ex, 1)).toBe('src/ops/thing.ts:41 (thing)');
  });

  it('rejects an import of a subpath the package does not have', () => {
    expect(() => exampleModule({ ...ex, code: "import { x } from 'typegrad/nope';" })).toThrow(
      /unknown package entry 'typegrad\/nope'/,
    );
  });
});
