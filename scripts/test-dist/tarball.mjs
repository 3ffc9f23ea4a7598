// Packs the package and checks what a user downloads: only dist/, README, LICENSE and
// package.json; no tests, benches or test helpers; every asset once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** `npm pack` into `dir`; returns the tarball's path and its file list. */
export function packTarball(repo, dir) {
  const out = execFileSync(NPM, ['pack', '--json', '--pack-destination', dir], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { path: join(dir, info.filename), files: info.files.map((f) => f.path), size: info.size };
}

/** Throws naming the offending paths when the tarball holds anything users do not need. */
export function checkTarballContents(files) {
  const outside = files.filter(
    (f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(f),
  );
  assert.deepEqual(outside, [], 'files outside dist/, README.md, LICENSE, package.json');
  for (const required of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']) {
    assert.ok(files.includes(required), `tarball lacks ${required}`);
  }
  const testish = files.filter((f) =>
    /\.test(-d)?\.|\/(bench|test-helpers|reference)\.|compile-error-cases|-cases\./.test(f),
  );
  assert.deepEqual(testish, [], 'test, bench or test-helper files in the tarball');
  const assets = files.filter((f) => /\.(gz|txt|bin|safetensors)$/.test(f));
  const names = assets.map((f) => basename(f));
  assert.equal(new Set(names).size, names.length, `an asset ships twice: ${assets.join(', ')}`);
  return { assets };
}
