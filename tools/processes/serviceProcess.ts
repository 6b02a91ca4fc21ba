import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNodeFlags } from '../../packages/platform/src/config/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A service running as its own process, as `npm start` runs it. */
export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Highest resident memory seen, in MB, sampled while it ran. */
  peakRssMb(): number;
  /** SIGTERM: the service stops cleanly (or is killed after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL: the service dies wherever it is, as in a power cut. */
  kill(): Promise<void>;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Starts `services/<name>/src/main.ts` in a process of its own and waits until it answers. */
export async function spawnService(
  name: string,
  env: Record<string, string | undefined>,
  options: { output?: 'inherit' | 'ignore' } = {},
): Promise<ServiceProcess> {
  const command = [...serviceNodeFlags(env), '--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')];
  const child = spawn(process.execPath, command, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 250);
  void exited.then(() => clearInterval(sampler));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    // A clean stop gets 10 s, as under `npm start`; then it is a kill.
    const impatient = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(impatient);
  };
  const port = env[`${name.toUpperCase()}_PORT`];
  for (let tries = 0; ; tries += 1) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (tries > 240 || child.exitCode !== null) {
      await end('SIGKILL');
      throw new Error(`${name} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { name, child, peakRssMb: () => Math.round(peak), stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}
