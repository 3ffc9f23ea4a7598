/**
 * Whether Dawn (the optional `webgpu` package) finds a WebGPU adapter on this machine, asked
 * quietly. Dawn prints its driver warnings (`Warning: Couldn't load Vulkan…`, `vkCreateInstance:
 * Found no drivers!`) from native code straight onto the process's stderr, which JavaScript
 * cannot silence; so the question is asked in a short child process whose output is dropped.
 * Cost: one Node start and one adapter request (about 0.2–0.5 s), paid only by `--backend auto`.
 */
import { spawnSync } from 'node:child_process';

/** `true` when `webgpu` is installed and gives an adapter; never prints anything. */
export function hasWebGpuAdapter(): boolean {
  let url: string;
  try {
    url = import.meta.resolve('webgpu');
  } catch {
    return false; // the optional peer is not installed
  }
  const probe =
    `const { create } = await import(${JSON.stringify(url)});` +
    'const adapter = await create([]).requestAdapter(); process.exit(adapter ? 0 : 3);';
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    stdio: 'ignore',
    timeout: 60_000,
  });
  return r.status === 0;
}
