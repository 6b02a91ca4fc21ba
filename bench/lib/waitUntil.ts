/** Polls `done` every `everyMs` until it holds. Benches measure time; they do not bound it. */
export async function waitUntil(done: () => Promise<boolean>, everyMs: number): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
