/**
 * The JSDoc doc-test runner: every `@example` of the public API is a test.
 *
 * - The public API is what typedoc documents: the exports of typedoc.json's entry points,
 *   through namespaces (`nn.dense.init`) and class members (`Tensor.toArray`).
 * - Each ```ts block in an `@example` tag becomes one ES module (tmp/jsdoc/<file>-<line>.ts)
 *   whose 'typegrad…' imports point at the sources (scripts/doctest-common.ts).
 * - All of them type-check in ONE TypeScript program; then each is imported, in this process.
 * - A line `console.log(a, b); // text` also checks what it prints: the arguments, strings as
 *   they are and the rest JSON-encoded, joined by spaces, must equal `text` up to white space.
 * - A block with a line `// doctest: skip-run (why)` only type-checks: for examples that need
 *   a GPU or a file. They are counted and reported.
 * - An `@example` of a public symbol without a ```ts block is an error (it would not run), and
 *   so is a public function, class or method without an `@example` (test/jsdoc-examples.test.ts).
 * - Problems name the source file, line and symbol.
 *
 * CLI: `npx tsx scripts/doctest-jsdoc.ts [--list] [src/file.ts …]` type-checks and runs the
 * examples (of the given files only, if any). The vitest entry is test/jsdoc-examples.test.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { compilerOptions, fileDiagnostics, inMemoryProgram, REPO, rewriteImports } from './doctest-common.ts';

const OUT = join(REPO, 'tmp', 'jsdoc');
const SKIP_RUN = /^\s*\/\/\s*doctest:\s*skip-run\b/m;
const CHECKED_LOG = /^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/gm;

export interface Example {
  /** Repository-relative path of the source file. */
  readonly file: string;
  /** 1-based line in the source file of the block's first code line. */
  readonly line: number;
  /** The documented symbol as users name it: `add`, `Tensor.toArray`, `nn.dense.init`. */
  readonly symbol: string;
  readonly code: string;
  /** Marked `// doctest: skip-run`: type-checked only. */
  readonly skipRun: boolean;
}

/** A public symbol's `@example` that cannot run (no ```ts block). */
export interface Unfenced {
  readonly file: string;
  readonly line: number;
  readonly symbol: string;
}

export interface PublicExamples {
  readonly examples: readonly Example[];
  readonly unfenced: readonly Unfenced[];
  /** Public functions, classes and methods with no `@example` at all. */
  readonly withoutExample: readonly { readonly file: string; readonly symbol: string }[];
}

/** typedoc.json's entry points, absolute. */
export function entryPoints(): string[] {
  const config = JSON.parse(readFileSync(join(REPO, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
  return config.entryPoints.map((e) => join(REPO, e));
}

/** The ```ts blocks of the `@example` tags of one JSDoc comment (text with its `*` gutters). */
export function examplesOfComment(comment: string): { offset: number; code: string }[] | 'unfenced' | [] {
  const lines = comment.split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, ''));
  const blocks: { offset: number; code: string }[] = [];
  let inExample = false;
  let sawExample = false;
  let unfencedExample = false;
  let exampleBlocks = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const tag = /^@(\w+)/.exec(l);
    if (tag) {
      if (inExample && exampleBlocks === 0) unfencedExample = true;
      inExample = tag[1] === 'example';
      sawExample ||= inExample;
      exampleBlocks = 0;
    }
    const open = /^(`{3,})\s*(\S*)/.exec(l);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(open[1]!)) j++;
    if (inExample && (open[2] === 'ts' || open[2] === 'typescript')) {
      blocks.push({ offset: i + 1, code: lines.slice(i + 1, j).join('\n') });
      exampleBlocks++;
    }
    i = j;
  }
  if (inExample && exampleBlocks === 0) unfencedExample = true;
  if (unfencedExample) return 'unfenced';
  return sawExample ? blocks : [];
}

/** The node carrying a declaration's JSDoc (a `const`'s is on its statement). */
function docHost(d: ts.Declaration): ts.Node {
  return ts.isVariableDeclaration(d) ? d.parent.parent : d;
}

function jsDocs(node: ts.Node): readonly ts.JSDoc[] {
  return (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
}

const WANTS_EXAMPLE = ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Method;

/** Left out of the API reference as typedoc.json says (excludePrivate, excludeInternal). */
function hidden(d: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(d);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return true;
  return ts.getJSDocTags(docHost(d)).some((t) => t.tagName.text === 'internal');
}

/**
 * Walks the public API of `program` (the exports of the entry points) and collects the
 * `@example` blocks of every declaration reached, each declaration once.
 */
export function publicExamples(program: ts.Program, entries: readonly string[]): PublicExamples {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Node>();
  const visited = new Set<ts.Symbol>();
  const examples: Example[] = [];
  const unfenced: Unfenced[] = [];
  const withoutExample: { file: string; symbol: string }[] = [];
  const queue: [ts.Symbol, string][] = [];

  const visit = (symbol: ts.Symbol, name: string): void => {
    const s = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (visited.has(s)) return;
    visited.add(s);
    let documented = false;
    let inRepo: string | undefined;
    for (const d of s.declarations ?? []) {
      const sf = d.getSourceFile();
      const file = relative(REPO, sf.fileName);
      if (file.startsWith('..') || file.includes('node_modules')) continue;
      if (!ts.isSourceFile(d) && hidden(d)) return;
      inRepo ??= file;
      if (ts.isSourceFile(d)) continue; // `export * as nn`: its members, not the file comment
      const host = docHost(d);
      if (seen.has(host)) continue;
      seen.add(host);
      for (const doc of jsDocs(host)) {
        const text = sf.text.slice(doc.getStart(sf), doc.end);
        const firstLine = sf.getLineAndCharacterOfPosition(doc.getStart(sf)).line + 1;
        const found = examplesOfComment(text);
        if (found === 'unfenced') {
          unfenced.push({ file, line: firstLine, symbol: name });
          documented = true;
          continue;
        }
        for (const b of found) {
          documented = true;
          examples.push({
            file,
            line: firstLine + b.offset,
            symbol: name,
            code: b.code,
            skipRun: SKIP_RUN.test(b.code),
          });
        }
      }
    }
    if (inRepo === undefined) return;
    if (!documented && s.flags & WANTS_EXAMPLE) withoutExample.push({ file: inRepo, symbol: name });
    s.exports?.forEach((m, key) => {
      if (key !== ts.InternalSymbolName.ExportEquals && key !== 'prototype')
        queue.push([m, `${name}.${String(key)}`]);
    });
    if (s.flags & ts.SymbolFlags.Class)
      s.members?.forEach((m, key) => {
        if (!(m.flags & ts.SymbolFlags.TypeParameter) && !String(key).startsWith('#'))
          queue.push([m, `${name}.${String(key)}`]);
      });
  };

  for (const entry of entries) {
    const sf = program.getSourceFile(entry);
    if (!sf) throw new Error(`entry point ${entry} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const e of checker.getExportsOfModule(moduleSymbol)) queue.push([e, e.name]);
  }
  // Breadth-first, so a symbol is named by its shortest path (`softplus`, not `nn.softplus`).
  for (let i = 0; i < queue.length; i++) visit(...queue[i]!);
  examples.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  withoutExample.sort((a, b) => a.file.localeCompare(b.file) || a.symbol.localeCompare(b.symbol));
  return { examples, unfenced, withoutExample };
}

/** The path of an example's generated module. */
export function moduleFile(ex: Example): string {
  return join(
    OUT,
    `${ex.file
      .replace(/^src\//, '')
      .replace(/\.ts$/, '')
      .replaceAll('/', '-')}-${ex.line}.ts`,
  );
}

/** The example as a module: package imports → sources; checked console.log lines → __check. */
export function exampleModule(ex: Example): string {
  const body = rewriteImports(ex.code, join(REPO, dirname(ex.file))).replace(
    CHECKED_LOG,
    (_, indent: string, args: string, text: string) =>
      `${indent}__check([${args}], ${JSON.stringify(text)});`,
  );
  // One header line: module line k + 1 is line ex.line + k of the source file.
  return `// Generated from ${ex.file}:${ex.line} (${ex.symbol}) by scripts/doctest-jsdoc.ts.
${body}
function __check(values: unknown[], text: string): void {
  const got = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  const squash = (s: string) => s.replace(/\\s+/g, '');
  if (squash(got) !== squash(text)) throw new Error(\`printed \${got}, the example says \${text}\`);
}
export {};
`;
}

/** Where an example is, for messages: `src/ops/elementwise.ts:75 (add)`. */
export function where(ex: Example, lineInBlock = 0): string {
  return `${ex.file}:${ex.line + lineInBlock} (${ex.symbol})`;
}

export interface Collected extends PublicExamples {
  /** Per example (same order), its type errors; empty when it type-checks. */
  readonly typeErrors: readonly string[][];
}

/**
 * Finds the public examples and type-checks them all in one program: a first program over the
 * entry points finds them, and the second (which reuses its parsed files) checks them.
 */
export function collectAndTypecheck(onlyFiles?: readonly string[]): Collected {
  const entries = entryPoints();
  const first = ts.createProgram(entries, compilerOptions());
  const found = publicExamples(first, entries);
  const keep = (x: { file: string }) => !onlyFiles || onlyFiles.includes(x.file);
  const examples = found.examples.filter(keep);
  const modules = new Map<string, string>();
  const problems: string[][] = examples.map(() => []);
  examples.forEach((ex, i) => {
    try {
      modules.set(moduleFile(ex), exampleModule(ex));
    } catch (e) {
      problems[i]!.push(`${where(ex)}: ${(e as Error).message}`);
    }
  });
  const program = inMemoryProgram(modules, first);
  examples.forEach((ex, i) => {
    const file = moduleFile(ex);
    if (!modules.has(file)) return;
    const sf = program.getSourceFile(file)!;
    for (const d of fileDiagnostics(program, file)) {
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      problems[i]!.push(
        `${ex.file}:${ex.line + line - 1}:${character + 1} (${ex.symbol}): error TS${d.code}: ${text}`,
      );
    }
  });
  return {
    examples,
    unfenced: found.unfenced.filter(keep),
    withoutExample: found.withoutExample.filter(keep),
    typeErrors: problems,
  };
}

/**
 * Writes the example's module to tmp/jsdoc/ and imports it (fresh each time). The examples
 * share this process, so the global settings an example may change (backend, allocation
 * limits) are put back afterwards: one failing example cannot make the next ones fail.
 */
export async function runExample(ex: Example): Promise<void> {
  const file = moduleFile(ex);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, exampleModule(ex));
  const typegrad = await import('../src/index.ts');
  try {
    await import(`${pathToFileURL(file).href}?t=${Date.now()}`);
  } catch (e) {
    const err = e as Error;
    err.message = `${where(ex)}: ${err.message}`;
    throw err;
  } finally {
    await typegrad.setBackend('cpu');
    typegrad.setAllocationLimit('cpu', undefined);
    typegrad.setAllocationLimit('webgpu', undefined);
  }
}

async function main(args: readonly string[]): Promise<number> {
  const list = args.includes('--list');
  const files = args.filter((a) => a !== '--list').map((f) => relative(REPO, resolve(f)));
  const t0 = performance.now();
  const c = collectAndTypecheck(files.length > 0 ? files : undefined);
  console.log(
    `${c.examples.length} examples (${c.examples.filter((e) => e.skipRun).length} skip-run), ` +
      `type-checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  let failed = 0;
  for (const u of c.unfenced) {
    failed++;
    console.log(`FAIL ${u.file}:${u.line} (${u.symbol}): @example without a \`\`\`ts block`);
  }
  c.typeErrors.forEach((errs) => {
    if (errs.length === 0) return;
    failed++;
    console.log(`typecheck FAIL\n  ${errs.join('\n  ')}`);
  });
  const t1 = performance.now();
  for (const [i, ex] of c.examples.entries()) {
    if (ex.skipRun || c.typeErrors[i]!.length > 0) continue;
    try {
      await runExample(ex);
    } catch (e) {
      failed++;
      console.log(`run FAIL ${(e as Error).stack ?? e}`);
    }
  }
  console.log(`(ran in ${((performance.now() - t1) / 1000).toFixed(1)} s; ${failed} failed)`);
  if (list)
    console.log(
      `public functions, classes and methods without @example:\n  ${c.withoutExample.map((w) => `${w.file} ${w.symbol}`).join('\n  ')}`,
    );
  else
    console.log(`${c.withoutExample.length} public functions, classes and methods without @example (--list)`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
