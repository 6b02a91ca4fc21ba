/**
 * Named points inside posting and closing, between and within their transactions. In
 * production nothing listens; the ledger simulation installs a hook that pauses the
 * work there (to interleave it with other work) or throws (a crash at that step).
 */
export type Checkpoint =
  | 'post.begun'
  | 'post.locked'
  | 'post.journaled'
  | 'post.announced'
  | 'close.opened'
  | 'close.batch.locked'
  | 'close.batch.paid'
  | 'close.batch.committed'
  | 'close.finishing';

/** The point, and for a close the day it closes. */
type CheckpointHook = (point: Checkpoint, day?: string) => Promise<void>;

let hook: CheckpointHook | undefined;

/** Installs the one hook; returns how to remove it. */
export function installCheckpointHook(installed: CheckpointHook): () => void {
  hook = installed;
  return () => {
    if (hook === installed) hook = undefined;
  };
}

export function checkpoint(point: Checkpoint, day?: string): Promise<void> | undefined {
  return hook?.(point, day);
}
