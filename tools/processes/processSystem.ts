import { services, type ServiceName } from '../../packages/platform/src/config/index.ts';
import { spawnService, type ServiceProcess } from './serviceProcess.ts';

const names = Object.keys(services) as ServiceName[];

/** All of aTES as separate processes, each of which can be killed and brought back. */
export class ProcessSystem {
  private readonly running = new Map<ServiceName, ServiceProcess>();
  private readonly peaks = new Map<ServiceName, number>();

  constructor(private readonly env: Record<string, string | undefined>) {}

  /** Auth first: the others learn accounts and keys from it. */
  async start(): Promise<void> {
    await this.launch('auth');
    // Settled, not raced: a service that fails must not leave the others starting unwatched.
    const started = await Promise.allSettled(names.filter((name) => name !== 'auth').map((name) => this.launch(name)));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async launch(name: ServiceName): Promise<void> {
    this.running.set(name, await spawnService(name, this.env, { output: process.env['CHAOS_OUTPUT'] === 'inherit' ? 'inherit' : 'ignore' }));
  }

  async kill(name: ServiceName): Promise<void> {
    const process = this.running.get(name);
    this.running.delete(name);
    if (!process) return;
    await process.kill();
    this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, process.peakRssMb()));
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.entries()].map(async ([name, process]) => {
        await process.stop();
        this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, process.peakRssMb()));
      }),
    );
    this.running.clear();
  }

  /** Peak RSS per service in MB over every process it had. */
  peakRssMb(): Record<string, number> {
    for (const [name, process] of this.running) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, process.peakRssMb()));
    return Object.fromEntries(this.peaks);
  }
}
