/**
 * What the two doc-test runners share: the tutorials' (scripts/doctest.ts) and the JSDoc
 * `@example`s' (scripts/doctest-jsdoc.ts). Package imports are rewritten to the repository's
 * sources, and generated modules are type-checked in one TypeScript program held in memory.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import packageEntries from './package-entries.json' with { type: 'json' };

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DOCS = join(REPO, 'docs');

/**
 * Bare specifiers the pages and examples may import, and the sources they stand for (shared
 * with scripts/demo-web-check.mjs, which maps the other way: the demo page's source imports to
 * the installed tarball's entries).
 */
export const PACKAGE_ENTRIES: Readonly<Record<string, string>> = packageEntries;

/**
 * Rewrites 'typegrad…' import specifiers to absolute source paths, and relative ones against
 * `baseDir` (docs/ by default). A 'typegrad/…' subpath the package does not have is an error, not a silent miss.
 */
export function rewriteImports(code: string, baseDir: string = DOCS): string {
  return code.replace(
    /((?:\bfrom|\bimport)\s*\(?\s*)(['"])([^'"\n]+)\2/g,
    (all, lead: string, quote: string, spec: string) => {
      const entry = PACKAGE_ENTRIES[spec];
      if (entry) return `${lead}${quote}${join(REPO, entry)}${quote}`;
      if (spec.startsWith('typegrad/'))
        throw new Error(
          `import of unknown package entry '${spec}' (known: ${Object.keys(PACKAGE_ENTRIES).join(', ')})`,
        );
      if (spec.startsWith('./') || spec.startsWith('../'))
        return `${lead}${quote}${resolve(baseDir, spec)}${quote}`;
      return all;
    },
  );
}

/** The repository's tsconfig options, without emit. */
export function compilerOptions(): ts.CompilerOptions {
  const configPath = join(REPO, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO, undefined, configPath);
  return { ...parsed.options, noEmit: true, incremental: false };
}

/**
 * One program over in-memory modules (absolute path → source) and the repository files they
 * import. Checking many generated modules in one program costs one check of the library.
 * `reuse`: an earlier program whose parsed (and bound) repository files are shared.
 */
export function inMemoryProgram(sources: ReadonlyMap<string, string>, reuse?: ts.Program): ts.Program {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, onError, create) => {
    const source = sources.get(resolve(fileName));
    if (source !== undefined) return ts.createSourceFile(fileName, source, lang, true, ts.ScriptKind.TS);
    return reuse?.getSourceFile(fileName) ?? getSourceFile(fileName, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => sources.has(resolve(f)) || fileExists(f);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => sources.get(resolve(f)) ?? readFile(f);
  return ts.createProgram([...sources.keys()], options, host);
}

/** The syntactic and semantic diagnostics of one file of the program. */
export function fileDiagnostics(program: ts.Program, file: string): readonly ts.Diagnostic[] {
  const sf = program.getSourceFile(file);
  if (!sf) throw new Error(`${file} is not in the program`);
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
}
