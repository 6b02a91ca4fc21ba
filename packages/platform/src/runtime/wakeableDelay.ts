/** A pause that something else can cut short: used by loops that sleep until there is work. */
export class WakeableDelay {
  private wakeUp: (() => void) | undefined;
  private pending = false;

  wait(milliseconds: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, milliseconds);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Ends the current wait, or the next one if nobody is waiting. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.pending = true;
  }
}

/** Exponential backoff with a cap: 1st retry after `base`, doubling up to `max`. */
export function backoffDelay(attempt: number, base = 100, max = 5_000): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
