import { type ServiceName, services } from '../../packages/platform/src/config/index.ts';
import { type ServiceProcess, spawnService } from './serviceProcess.ts';

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
    this.running.set(
      name,
      await spawnService(name, this.env, { output: process.env['CHAOS_OUTPUT'] === 'inherit' ? 'inherit' : 'ignore' }),
    );
  }

  async kill(name: ServiceName): Promise<void> {
    const service = this.running.get(name);
    this.running.delete(name);
    if (!service) return;
    await service.kill();
    this.rememberPeak(name, service);
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.entries()].map(async ([name, service]) => {
        await service.stop();
        this.rememberPeak(name, service);
      }),
    );
    this.running.clear();
  }

  /** Peak RSS per service in MB over every process it had. */
  peakRssMb(): Record<string, number> {
    for (const [name, service] of this.running) this.rememberPeak(name, service);
    return Object.fromEntries(this.peaks);
  }

  private rememberPeak(name: ServiceName, service: ServiceProcess): void {
    this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, service.peakRssMb()));
  }
}
