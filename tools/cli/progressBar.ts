import { SingleBar } from 'cli-progress';

/** A progress bar on a terminal (on stderr, so output can still be piped); nothing otherwise. */
export function progressBar(label: string, total: number): { tick(): void; stop(): void } {
  if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label.padEnd(12)} [{bar}] {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
