/** No wait between two attempts is longer than an hour. */
export const MAX_BACKOFF_MS = 3_600_000;

export interface RetryPolicy {
  baseMs: number;
  windowMs: number;
}

/**
 * The wait after the n-th failed attempt of a run: "full jitter" (a random wait up to
 * base × 2^(n-1), at most an hour), so receivers that failed together are not retried together.
 */
export function backoffMs(baseMs: number, failedInRun: number, random = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(failedInRun - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * After a failed attempt: when to try again, or null to dead-letter. A run lasts the window from
 * its first attempt; its last attempt falls at the window's end at the latest.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  now: Date,
  runStartedAt: Date,
  failedInRun: number,
  random = Math.random,
): Date | null {
  const windowEnd = runStartedAt.getTime() + policy.windowMs;
  if (now.getTime() >= windowEnd) {
    return null;
  }
  const wait = backoffMs(policy.baseMs, failedInRun, random);
  return new Date(Math.min(now.getTime() + wait, windowEnd));
}
