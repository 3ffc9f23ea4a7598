/**
 * Every `@example` in the library's JSDoc runs. Each ```ts block is written to
 * tmp/jsdoc/<file>-<n>.ts with the package imports pointing at the sources, and imported.
 * A line `console.log(a, b); // text` also checks its output: the arguments, JSON-encoded and
 * joined by spaces, must equal `text` up to white space.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const OUT = join(REPO, 'tmp', 'jsdoc');
const ENTRIES: Record<string, string> = {
  typegrad: 'src/index.ts',
  'typegrad/testing': 'src/testing/entry.ts',
  'typegrad/testing/arbitraries': 'src/testing/arbitraries.ts',
  'typegrad/datasets/digits': 'src/datasets/digits.ts',
  'typegrad/node': 'src/node.ts',
  'typegrad/plot': 'src/plot/index.ts',
};

/** The ```ts blocks of the `@example` tags of one source file, JSDoc stars removed. */
function jsdocExamples(source: string): string[] {
  const blocks: string[] = [];
  for (const m of source.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\s*```\s*\n/g)) {
    const lines = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const start = lines.findIndex((l) => l.startsWith('```ts'));
    if (start >= 0) blocks.push(lines.slice(start + 1).join('\n'));
  }
  return blocks;
}

/** The block as a module: package imports → sources; checked console.log lines → __check. */
function toModule(code: string, dir: string): string {
  const body = code
    .replace(/from '(typegrad[^']*)'/g, (_, spec: string) => {
      const entry = ENTRIES[spec];
      if (!entry) throw new Error(`@example imports unknown entry ${spec}`);
      return `from '${relative(dir, join(REPO, entry)).replaceAll('\\', '/')}'`;
    })
    .replace(
      /^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/gm,
      (_, indent: string, args: string, text: string) => {
        return `${indent}__check([${args}], ${JSON.stringify(text)});`;
      },
    );
  return `${body}
function __check(values: unknown[], text: string): void {
  const got = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  const squash = (s: string) => s.replace(/\\s+/g, '');
  if (squash(got) !== squash(text)) throw new Error(\`printed \${got}, the example says \${text}\`);
}
export {};
`;
}

const sources = readdirSync(join(REPO, 'src'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(f));
const examples = sources.flatMap((f) =>
  jsdocExamples(readFileSync(join(REPO, 'src', f), 'utf8')).map((code, i) => ({ file: f, i, code })),
);

describe('JSDoc @examples run', () => {
  it('finds the examples', () => expect(examples.length).toBeGreaterThan(3));
  for (const ex of examples) {
    it(`${ex.file} example ${ex.i + 1}`, async () => {
      mkdirSync(OUT, { recursive: true });
      const path = join(OUT, `${ex.file.replaceAll('/', '-').replace(/\.ts$/, '')}-${ex.i + 1}.ts`);
      writeFileSync(path, toModule(ex.code, OUT));
      await import(pathToFileURL(path).href);
    });
  }
});
