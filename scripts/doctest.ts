/**
 * The doc-test runner: the tutorials in docs/*.md are tests.
 *
 * - Every ```ts block of a page runs. The blocks of one page are concatenated, in order, into
 *   one ES module (tmp/docs/<page>.ts) and imported, so later blocks see earlier declarations.
 * - Imports of 'typegrad', 'typegrad/testing' and 'typegrad/node' are rewritten to the
 *   repository's sources; relative imports ('../examples/fig1.ts') resolve against docs/.
 * - Every page type-checks: one TypeScript program (the repository's tsconfig, noEmit) holds
 *   all pages, and any diagnostic fails the page, reported at its line in the markdown.
 * - A block marked ```ts compile-error, or whose first line is `// @error: …`, must NOT compile.
 *   It does not run. It is checked as the page's preceding blocks followed by this block, and
 *   each `// @error: <text>` comment in it names a diagnostic that must appear in the code after
 *   the comment (up to the next `// @error:`) and whose message contains <text>. Any other
 *   diagnostic, or an expectation with no matching diagnostic, fails the page.
 * - Other fences (```sh, ```text, ```svg …) are prose.
 *
 * Pages write their figures themselves (to docs/figures/, paths relative to the repository root,
 * which is the working directory of `npm test` and of this script).
 *
 * CLI: `npx tsx scripts/doctest.ts [docs/page.md …]` type-checks and runs pages (all by default).
 * The vitest entry is test/docs.test.ts.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { DOCS, fileDiagnostics, inMemoryProgram, REPO, rewriteImports } from './doctest-common.ts';

export { DOCS, REPO, rewriteImports };

const OUT = join(REPO, 'tmp', 'docs');

export interface Expectation {
  /** 0-based line in the block of the code the expectation covers (the line after the comment). */
  readonly from: number;
  /** Exclusive end line in the block. */
  readonly to: number;
  readonly message: string;
}

export interface Block {
  readonly info: string;
  readonly code: string;
  /** 1-based line in the markdown file of the block's first code line. */
  readonly line: number;
  readonly kind: 'run' | 'compile-error';
  readonly expectations: readonly Expectation[];
}

export interface Page {
  /** Absolute path of the markdown file. */
  readonly path: string;
  /** File name without .md, used for the generated modules. */
  readonly name: string;
  readonly blocks: readonly Block[];
}

const ERROR_MARK = /^\s*\/\/\s*@error:\s*(.*?)\s*$/;

/** The ```ts blocks of a markdown text (```typescript too), with their kind and expectations. */
export function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim();
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim().startsWith(fence)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`unclosed code fence opened at line ${i + 1}`);
    const [lang = '', ...flags] = info.split(/\s+/);
    if (lang === 'ts' || lang === 'typescript') {
      const marks = body.map((l) => ERROR_MARK.exec(l));
      const firstCode = body.findIndex((l) => l.trim() !== '');
      const isError = flags.includes('compile-error') || (firstCode >= 0 && marks[firstCode] !== null);
      const unknown = flags.filter((f) => f !== 'compile-error');
      if (unknown.length > 0)
        throw new Error(
          `line ${i + 1}: unknown code block flag(s) ${unknown.join(', ')} (known: compile-error)`,
        );
      const expectations: Expectation[] = [];
      marks.forEach((m, k) => {
        if (!m) return;
        const next = marks.findIndex((n, q) => q > k && n !== null);
        expectations.push({ from: k + 1, to: next < 0 ? body.length : next, message: m[1]! });
      });
      if (isError && expectations.length === 0)
        throw new Error(
          `line ${i + 1}: a compile-error block needs at least one '// @error: <message>' line`,
        );
      if (!isError && expectations.length > 0)
        throw new Error(`line ${i + 1}: '// @error:' inside a block not marked compile-error`);
      blocks.push({
        info,
        code: body.join('\n'),
        line: i + 2,
        kind: isError ? 'compile-error' : 'run',
        expectations,
      });
    }
    i = j;
  }
  return blocks;
}

export function loadPage(path: string): Page {
  const abs = resolve(path);
  const name = abs.replace(/^.*\//, '').replace(/\.md$/, '');
  try {
    return { path: abs, name, blocks: extractBlocks(readFileSync(abs, 'utf8')) };
  } catch (e) {
    throw new Error(`${relative(REPO, abs)}: ${(e as Error).message}`);
  }
}

/** All docs/*.md pages with at least one ts block, in file-name order. */
export function allPages(): Page[] {
  return readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => loadPage(join(DOCS, f)))
    .filter((p) => p.blocks.length > 0);
}

/** A generated module and the way back from its lines to the markdown's. */
export interface Module {
  readonly file: string;
  readonly source: string;
  /** For each 0-based line of `source`: [block index, 0-based line in the block], or null. */
  readonly origin: readonly ([number, number] | null)[];
}

/** The module of the page's run blocks, or of its run blocks before `errorBlock` followed by it. */
export function pageModule(page: Page, errorBlock?: number): Module {
  const parts: string[] = [`// Generated from ${relative(REPO, page.path)} by scripts/doctest.ts.`];
  const origin: ([number, number] | null)[] = [null];
  page.blocks.forEach((b, bi) => {
    const include =
      errorBlock === undefined
        ? b.kind === 'run'
        : bi === errorBlock || (bi < errorBlock && b.kind === 'run');
    if (!include) return;
    const code = rewriteImports(b.code, dirname(page.path)).split('\n');
    parts.push(...code);
    code.forEach((_, k) => {
      origin.push([bi, k]);
    });
  });
  parts.push('export {};', '');
  origin.push(null, null);
  const suffix = errorBlock === undefined ? '' : `.error-at-line-${page.blocks[errorBlock]!.line}`;
  return { file: join(OUT, `${page.name}${suffix}.ts`), source: parts.join('\n'), origin };
}

export interface CheckResult {
  readonly page: Page;
  /** Human-readable problems: unexpected diagnostics and unmet expectations. Empty when the page passes. */
  readonly problems: string[];
  /** How many compile-error expectations were met. */
  readonly expectedErrors: number;
}

/**
 * Type-checks all pages in one program. Each page contributes its module and one module per
 * compile-error block; these live in memory only.
 */
export function typecheckPages(pages: readonly Page[]): CheckResult[] {
  const modules = new Map<string, { page: number; module: Module; errorBlock?: number }>();
  pages.forEach((page, pi) => {
    const m = pageModule(page);
    modules.set(m.file, { page: pi, module: m });
    page.blocks.forEach((b, bi) => {
      if (b.kind !== 'compile-error') return;
      const e = pageModule(page, bi);
      modules.set(e.file, { page: pi, module: e, errorBlock: bi });
    });
  });
  const program = inMemoryProgram(new Map([...modules].map(([f, m]) => [f, m.module.source])));

  const results = pages.map((page) => ({ page, problems: [] as string[], expectedErrors: 0 }));
  for (const [file, { page: pi, module, errorBlock }] of modules) {
    const page = pages[pi]!;
    const result = results[pi]!;
    const sf = program.getSourceFile(file)!;
    const diags = fileDiagnostics(program, file);
    const where = (line: number, col: number) => {
      const o = module.origin[line];
      const md = o ? page.blocks[o[0]]!.line + o[1] : 0;
      return `${relative(REPO, page.path)}:${md}:${col + 1}`;
    };
    const block = errorBlock === undefined ? undefined : page.blocks[errorBlock]!;
    const met = new Set<Expectation>();
    for (const d of diags) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      const o = module.origin[line];
      const hit =
        block && o && o[0] === errorBlock
          ? block.expectations.find((x) => o[1] >= x.from && o[1] < x.to && text.includes(x.message))
          : undefined;
      if (hit) met.add(hit);
      else result.problems.push(`${where(line, character)}: unexpected error TS${d.code}: ${text}`);
    }
    if (block) {
      for (const x of block.expectations) {
        if (met.has(x)) continue;
        const seen = diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join(' | ');
        result.problems.push(
          `${relative(REPO, page.path)}:${block.line + x.from}: expected a compile error containing ` +
            `${JSON.stringify(x.message)}, got ${seen === '' ? 'none (the code compiles)' : seen}`,
        );
      }
      result.expectedErrors += met.size;
    }
  }
  return results;
}

/** Writes the page's module to tmp/docs/ and returns its path (import it to run the page). */
export function writePageModule(page: Page): string {
  const m = pageModule(page);
  mkdirSync(dirname(m.file), { recursive: true });
  writeFileSync(m.file, m.source);
  return m.file;
}

/** Runs a page: writes its module and imports it (a fresh import each time). */
export async function runPage(page: Page): Promise<void> {
  const file = writePageModule(page);
  await import(`${pathToFileURL(file).href}?t=${Date.now()}`);
}

async function main(args: readonly string[]): Promise<number> {
  const pages = args.length > 0 ? args.map(loadPage) : allPages();
  let failed = 0;
  const t0 = performance.now();
  for (const r of typecheckPages(pages)) {
    const label = relative(REPO, r.page.path);
    if (r.problems.length === 0) console.log(`typecheck ok   ${label} (${r.expectedErrors} expected errors)`);
    else {
      failed++;
      console.log(`typecheck FAIL ${label}\n  ${r.problems.join('\n  ')}`);
    }
  }
  console.log(`(typecheck ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const page of pages) {
    const t = performance.now();
    try {
      await runPage(page);
      console.log(`run ok   ${relative(REPO, page.path)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`run FAIL ${relative(REPO, page.path)}: ${(e as Error).stack ?? e}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
