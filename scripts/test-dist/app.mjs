// A fresh temporary app that installs the packed tarball the way a user does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Writes an empty ESM app in `dir`. */
export function createApp(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'typegrad-dist-app', private: true, type: 'module' }, null, 2)}\n`,
  );
}

/**
 * `npm install` into the app, preferring the local npm cache (the registry is only asked for
 * what the cache lacks).
 */
export function install(dir, specs) {
  execFileSync(
    NPM,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
}

/** Runs `node file` in the app; returns stdout. */
export function runNode(dir, args, env = {}) {
  return execFileSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The app's installed version of a dependency, from its package.json. */
export function versionIn(dir, name) {
  return execFileSync(process.execPath, ['-p', `require('${name}/package.json').version`], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}
