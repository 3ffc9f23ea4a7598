/**
 * The demo's jitted LeNet-5 training step on the CPU backend (bench/w3-lenet.ts's stepper,
 * batch 128), timed by wall clock and by process CPU time: on a shared machine the CPU time
 * is the steadier figure. Made for A/B runs of two trees (e.g. `git archive` of the base
 * commit unpacked elsewhere, with a `node_modules` link), interleaved:
 *
 *   for r in 1 2 3; do (cd /tmp/base && npx tsx bench/lenet-step-cpu.ts); npx tsx bench/lenet-step-cpu.ts; done
 *   STEPS=30 npx tsx bench/lenet-step-cpu.ts
 */
import * as tg from '../src/index.ts';
import { isMain, report, round } from './util.ts';
import { lenetStepper } from './w3-lenet.ts';

export async function main(): Promise<void> {
  await tg.setBackend('cpu');
  const batch = 128;
  const s = lenetStepper(batch);
  for (let i = 0; i < 3; i++) await s.jitted();
  const steps = Number(process.env.STEPS ?? 15);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await s.jitted();
  const wallMs = (performance.now() - t0) / steps;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
  s.dispose();
  report({
    workload: 'W3-step',
    backend: 'cpu',
    params: { model: 'lenet5', batch, mode: 'jit+donate', tree: process.cwd() },
    ms: round(wallMs, 1),
    cpuMs: round(cpuMs, 1),
    examplesPerSec: round((batch * 1000) / wallMs, 0),
  });
}

if (isMain(import.meta.url)) await main();
