import { consumerLag } from '../metrics/index.ts';

const sources = new Map<string, () => Promise<number>>();

/** Registers a group whose lag is read from the bus whenever /metrics is scraped. */
export function watchLag(group: string, readLag: () => Promise<number>): void {
  sources.set(group, readLag);
}

export async function collectLag(): Promise<void> {
  await Promise.all(
    [...sources].map(async ([group, readLag]) => {
      const lag = await readLag().catch(() => undefined);
      if (lag !== undefined) consumerLag.set({ group }, lag);
    }),
  );
}
