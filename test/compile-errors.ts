/**
 * Compiles small TypeScript snippets and reports their errors (expected ones are marked
 * `// ERR: <shape message>`, or `// ERR~: <text the error contains>` for other type
 * errors), with TypeScript 5.9 (the compiler API, all snippets in one program over an in-memory host) and TypeScript 7 (its
 * CLI, one run over temp files), so type tests can assert the exact message and line of
 * each expected error and that both compilers agree.
 *
 * Snippets import '#typegrad' (src/index.ts), '#shapes' (src/shapes) and '#mocks'
 * (test/shape-mocks.ts). They are written under node_modules/.cache and compiled with the
 * repo's own compiler options, so the real ops (and the WebGPU and Node types the backends
 * need) resolve as they do for users.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Snippet {
  readonly name: string;
  readonly code: string;
}

/** One error: its 1-based line and its `ShapeError` message, or the full text when it has none. */
export interface LineError {
  readonly line: number;
  readonly message: string;
}

export interface SnippetReport {
  /** From `// ERR: <message>` comments at the ends of lines. */
  readonly expected: LineError[];
  readonly ts59: LineError[];
  readonly ts7: LineError[];
  /**
   * Shape errors not packaged message first, with their full text (both compilers): the
   * intersection form (`Tensor<…> & ShapeError<"…">`, the argument type printed twice and a
   * `missing … __shapeError` line), a check left unresolved around a `ShapeError`, or a shape
   * message on a second line of the error's chain.
   */
  readonly unpackaged: LineError[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ERR_MARKER = '// ERR: ';

function resolveImports(code: string): string {
  return code
    .replaceAll("'#typegrad'", `'${path.join(repoRoot, 'src/index.ts')}'`)
    .replaceAll("'#shapes'", `'${path.join(repoRoot, 'src/shapes/index.ts')}'`)
    .replaceAll("'#mocks'", `'${path.join(repoRoot, 'test/shape-mocks.ts')}'`);
}

/** The repo's compiler options, exactly as users' code is checked. */
function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  return { ...parsed.options, noEmit: true };
}

/**
 * The shape message of a diagnostic: a guard written `Checked<T, Check>` makes the parameter
 * type the message itself (`parameter of type '"nn.dense: ..."'`), an intersection guard shows
 * `ShapeError<"...">`, and a check left unresolved by two different generic dims shows
 * `DimsDiffer<\`...\`, B, T>` (`CountsUnproved` for reshape, `SizesUnproved` for einsum); any other diagnostic is reported with its whole text.
 */
export function shapeMessage(text: string): string {
  const m =
    /^[^\n]*(?:parameter of type|to type) '(["`])([^"`]*: [^"`]*)\1'\.?$/m.exec(text)?.[2] ??
    /(?:ShapeError|DimsDiffer|DimsDoNotBroadcast|CountsUnproved|SizesUnproved)<(["`])([^"`]*)\1/.exec(
      text,
    )?.[2];
  // a generic dim B shows as `${B}` inside the message's template type
  return m === undefined ? text : m.replace(/\$\{([^}]*)\}/g, '$1');
}

/** True for a shape error printed in one of the forms `SnippetReport.unpackaged` lists. */
export function isUnpackaged(text: string): boolean {
  if (/ShapeError<|__shapeError/.test(text)) return true;
  const [first = '', ...chain] = text.split('\n');
  return chain.length > 0 && shapeMessage(first) === first && shapeMessage(text) !== text;
}

/** `// ERR~: <text>`: an error whose full text contains <text> (for errors that are not shape rules). */
const ERR_CONTAINS = '// ERR~: ';

function expectedErrors(code: string): LineError[] {
  return code.split('\n').flatMap((text, i) => {
    for (const marker of [ERR_MARKER, ERR_CONTAINS]) {
      const at = text.indexOf(marker);
      if (at >= 0) return [{ line: i + 1, message: text.slice(at + marker.length).trim() }];
    }
    return [];
  });
}

/** Reports an error matching an `ERR~` expectation of its line by the expected text. */
function matchContains(code: string, errors: LineError[]): LineError[] {
  const lines = code.split('\n');
  return errors.map((e) => {
    const text = lines[e.line - 1] ?? '';
    const at = text.indexOf(ERR_CONTAINS);
    if (at < 0) return e;
    const want = text.slice(at + ERR_CONTAINS.length).trim();
    return e.message.includes(want) ? { line: e.line, message: want } : e;
  });
}

const byLine = (a: LineError, b: LineError) => a.line - b.line || a.message.localeCompare(b.message);

/** Errors and unpackaged shape errors (full text) per snippet file name. */
interface Compiled {
  readonly errors: Map<string, LineError[]>;
  readonly unpackaged: Map<string, LineError[]>;
}

function record(out: Compiled, name: string, line: number, text: string): void {
  const push = (m: Map<string, LineError[]>, e: LineError) => m.set(name, [...(m.get(name) ?? []), e]);
  push(out.errors, { line, message: shapeMessage(text) });
  if (isUnpackaged(text)) push(out.unpackaged, { line, message: text });
}

/** Errors per snippet file name from TypeScript 5.9, all snippets in one program. */
function compileWithTs59(files: readonly string[]): Compiled {
  const program = ts.createProgram([...files], compilerOptions());
  const out: Compiled = { errors: new Map(), unpackaged: new Map() };
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = path.resolve(d.file?.fileName ?? '<global>');
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    record(out, name, line, ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return out;
}

/** Errors per snippet file name from the TypeScript 7 CLI (`--pretty false`). */
async function compileWithTs7(files: readonly string[], dir: string): Promise<Compiled> {
  const tsconfig = {
    extends: path.join(repoRoot, 'tsconfig.json'),
    compilerOptions: { noEmit: true },
    include: [],
    files,
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc7 = path.join(repoRoot, 'node_modules/typescript7/bin/tsc');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc7, '-p', dir, '--pretty', 'false'], { cwd: dir });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk) => {
      text += chunk;
    });
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  const out: Compiled = { errors: new Map(), unpackaged: new Map() };
  // Each error starts `file(line,col): error TSnnnn: text`; its chain follows on indented lines.
  for (const block of output.split(/\n(?=\S)/)) {
    const m = /^(.+?)\((\d+),\d+\): error TS\d+: ([\s\S]*)$/.exec(block.trim());
    if (!m) continue;
    const text = m[3]!.replace(/\n\s+/g, '\n');
    record(out, path.resolve(dir, m[1]!), Number(m[2]), text);
  }
  return out;
}

/** Compiles every snippet with both compilers and reports expected and actual errors per snippet name. */
export async function checkSnippets(snippets: readonly Snippet[]): Promise<Map<string, SnippetReport>> {
  // Under node_modules so that the snippets resolve the repo's packages and ambient types.
  const cache = path.join(repoRoot, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  // The real path: node_modules may be a symlink, and TypeScript 7 prints paths relative to it.
  const dir = realpathSync(mkdtempSync(path.join(cache, 'typegrad-compile-errors-')));
  try {
    const files = snippets.map((s, i) => {
      const file = path.join(dir, `snippet${i}.ts`);
      writeFileSync(file, resolveImports(s.code));
      return file;
    });
    const ts7Run = compileWithTs7(files, dir); // runs in a child process while 5.9 runs here
    const ts59 = compileWithTs59(files);
    const ts7 = await ts7Run;
    const reports = new Map<string, SnippetReport>();
    files.forEach((name, i) => {
      const snippet = snippets[i]!;
      reports.set(snippet.name, {
        expected: expectedErrors(snippet.code).sort(byLine),
        ts59: matchContains(snippet.code, ts59.errors.get(name) ?? []).sort(byLine),
        ts7: matchContains(snippet.code, ts7.errors.get(name) ?? []).sort(byLine),
        unpackaged: [...(ts59.unpackaged.get(name) ?? []), ...(ts7.unpackaged.get(name) ?? [])],
      });
    });
    const stray = [...ts59.errors.keys(), ...ts7.errors.keys()].filter((name) => !files.includes(name));
    if (stray.length > 0) {
      const details = stray.map((f) => `${f}: ${JSON.stringify(ts59.errors.get(f) ?? ts7.errors.get(f))}`);
      throw new Error(`errors outside the snippets:\n${details.join('\n')}`);
    }
    return reports;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
