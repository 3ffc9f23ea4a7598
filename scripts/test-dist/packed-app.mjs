// Builds the package, packs the tarball, checks its contents and installs it into a fresh
// temporary app: the starting point of every check that tests the package as users get it
// (npm run test:dist, and the demo page's CI check, scripts/demo-web-check.mjs).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createApp, install } from './app.mjs';
import { checkTarballContents, packTarball } from './tarball.mjs';

/**
 * Build → pack → check → `work/app` with the tarball installed (nothing else). `step(what)` is
 * called before each phase (for progress lines). Returns the app's path and the tarball's facts.
 */
export function installPackedTarball(repo, work, step = () => {}) {
  step('build');
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });

  step('pack');
  const tarball = packTarball(repo, work);
  const { assets } = checkTarballContents(tarball.files);
  console.log(
    `${tarball.files.length} files, ${(tarball.size / 1024).toFixed(0)} KiB packed; assets: ${assets.join(', ')}`,
  );

  step('install the tarball alone into a fresh app');
  const app = join(work, 'app');
  createApp(app);
  install(app, [tarball.path]);
  return { app, tarball };
}
