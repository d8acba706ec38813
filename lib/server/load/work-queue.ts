/**
 * At most N jobs at once, at most M waiting, and a prompt refusal beyond that: load shedding for work
 * whose cost is fixed by design, such as argon2id (OWASP Denial of Service Cheat Sheet: bound queues
 * and fail fast rather than let every caller slow down together).
 *
 * Without a bound, argon2 hashes queue on libuv's thread pool: a burst of correct sign-ins makes every
 * sign-in (and everything else on that pool) slower for everyone, and memory grows with the backlog.
 */
import "server-only";

const QUEUE_FULL = "queue_full";

export class QueueFullError extends Error {
  readonly code = QUEUE_FULL;

  constructor(readonly waiting: number) {
    super(`work queue full (${waiting} waiting)`);
    this.name = "QueueFullError";
  }
}

/**
 * By code, not instanceof: a queue kept in a processSingleton may have been made by another bundle
 * (Next bundles routes and the instrumentation hook separately), whose QueueFullError is another class.
 */
export function isQueueFull(error: unknown): error is QueueFullError {
  return error instanceof Error && (error as { code?: unknown }).code === QUEUE_FULL;
}

export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("concurrency must be a positive integer");
  }

  /** Jobs running and waiting right now. */
  get load() {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `job` when a slot is free; throws QueueFullError at once when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new QueueFullError(this.waiting.length);
      // The slot is handed over by the finishing job (below), so `running` never dips and overshoots.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
