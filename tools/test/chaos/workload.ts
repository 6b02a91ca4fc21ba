import { signInWithPassword } from '../../../packages/platform/src/auth/index.ts';
import { developmentAdmin } from '../../../services/auth/src/settings.ts';

// biome-ignore lint/suspicious/noExplicitAny: the workload reads answers loosely; the audit checks the outcome
type Call = (method: string, path: string, token: string, body?: unknown) => Promise<{ status: number; body: any }>;

const shuffleEveryMs = 4_000;

interface Person {
  id: string;
  token: string;
}

/** What the people did while services were dying under them. */
export interface WorkloadCounts {
  created: number;
  completed: number;
  shuffles: number;
  refused: number;
  retries: number;
}

/**
 * People using aTES over HTTP while its services are killed: every call is retried
 * until a service answers it, as a person pressing the button again would.
 */
export class Workload {
  readonly counts: WorkloadCounts = { created: 0, completed: 0, shuffles: 0, refused: 0, retries: 0 };
  private admin!: Person;
  private manager!: Person;
  private workers: Person[] = [];

  constructor(private readonly urls: { auth: string; tasks: string; accounting: string }) {}

  get adminToken(): string {
    return this.admin.token;
  }

  async signUp(workerCount: number): Promise<string[]> {
    const issuer = this.urls.auth;
    const adminTokens = await signInWithPassword({ issuer, ...developmentAdmin });
    this.admin = { id: '', token: adminTokens.accessToken };
    const person = async (role: string, n: number): Promise<Person> => {
      const email = `chaos-${role}-${n}-${Date.now()}@uberpopug.test`;
      const password = 'chaos popug password';
      const created = await this.call(this.urls.auth)('POST', '/api/accounts', this.admin.token, {
        email,
        full_name: `Chaos ${role} ${n}`,
        role,
        password,
      });
      if (created.status !== 201) throw new Error(`could not create ${role}: ${JSON.stringify(created.body)}`);
      return { id: created.body.id, token: (await signInWithPassword({ issuer, email, password })).accessToken };
    };
    this.manager = await person('manager', 0);
    for (let n = 0; n < workerCount; n += 1) this.workers.push(await person('worker', n));
    return [this.manager.id, ...this.workers.map((worker) => worker.id)];
  }

  /** Creates and completes at random until `until`, shuffling every few seconds. */
  async run(until: number): Promise<void> {
    const tasks = this.call(this.urls.tasks);
    // Shuffles take a fee for every open task; too many leave nobody with a payout.
    let nextShuffle = Date.now() + shuffleEveryMs;
    while (Date.now() < until) {
      const dice = Math.random();
      if (Date.now() >= nextShuffle) {
        nextShuffle = Date.now() + shuffleEveryMs;
        const shuffled = await tasks('POST', '/api/tasks/shuffle', this.manager.token);
        if (shuffled.status === 200) this.counts.shuffles += 1;
      } else if (dice < 0.4) {
        const created = await tasks('POST', '/api/tasks', this.manager.token, {
          title: `Chaos task ${this.counts.created}`,
          description: 'made while services die',
        });
        if (created.status === 201) this.counts.created += 1;
        else this.counts.refused += 1;
      } else {
        const worker = this.workers[Math.floor(Math.random() * this.workers.length)]!;
        const mine = await tasks('GET', '/api/tasks/mine?status=open', worker.token);
        const open = (mine.body.tasks ?? []) as { id: string }[];
        if (open.length === 0) continue;
        // 403/409: shuffled away or already done by a retried request; both are fine answers.
        const done = await tasks('POST', `/api/tasks/${open[0]!.id}/complete`, worker.token);
        if (done.status === 200) this.counts.completed += 1;
        else this.counts.refused += 1;
      }
    }
  }

  /** Every worker finishes what is on their plate, so the day ends with money to pay out. */
  async finishOpenTasks(): Promise<void> {
    const tasks = this.call(this.urls.tasks);
    for (const worker of this.workers) {
      const mine = await tasks('GET', '/api/tasks/mine?status=open', worker.token);
      for (const task of (mine.body.tasks ?? []) as { id: string }[]) {
        if ((await tasks('POST', `/api/tasks/${task.id}/complete`, worker.token)).status === 200)
          this.counts.completed += 1;
      }
    }
  }

  async closeDay(day: string): Promise<{ payouts: number }> {
    const closed = await this.call(this.urls.accounting)('POST', `/api/days/${day}/close`, this.admin.token);
    if (closed.status !== 200) throw new Error(`closing ${day} failed: ${JSON.stringify(closed.body)}`);
    return closed.body;
  }

  private call(baseUrl: string): Call {
    return async (method, path, token, body) => {
      for (;;) {
        try {
          const response = await fetch(`${baseUrl}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            body: body !== undefined ? JSON.stringify(body) : undefined,
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          if (response.status < 500) return { status: response.status, body: text ? JSON.parse(text) : undefined };
        } catch {
          // the service is down or died mid-request
        }
        this.counts.retries += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
  }
}
