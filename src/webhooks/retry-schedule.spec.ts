import { backoffMs, MAX_BACKOFF_MS, nextAttemptAt } from './retry-schedule';

describe('webhook retry schedule', () => {
  const policy = { baseMs: 5_000, windowMs: 86_400_000 };
  const start = new Date('2030-01-01T00:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);

  it('should double the ceiling of the wait with each failure, up to an hour', () => {
    const highest = () => 1 - Number.EPSILON;
    expect(backoffMs(5_000, 1, highest)).toBe(4_999);
    expect(backoffMs(5_000, 2, highest)).toBe(9_999);
    expect(backoffMs(5_000, 4, highest)).toBe(39_999);
    expect(backoffMs(5_000, 20, highest)).toBe(MAX_BACKOFF_MS - 1);
    expect(backoffMs(5_000, 10_000, highest)).toBe(MAX_BACKOFF_MS - 1);
  });

  it('should wait anything from nothing to the ceiling (full jitter)', () => {
    expect(backoffMs(5_000, 3, () => 0)).toBe(0);
    expect(backoffMs(5_000, 3, () => 0.5)).toBe(10_000);
  });

  it('should schedule within the window and dead-letter once it has passed', () => {
    expect(nextAttemptAt(policy, at(1_000), start, 1, () => 0.5)).toEqual(at(3_500));
    // Near the end the last attempt falls on the window's end, not after it.
    const late = at(policy.windowMs - 1_000);
    expect(nextAttemptAt(policy, late, start, 30, () => 0.5)).toEqual(at(policy.windowMs));
    expect(nextAttemptAt(policy, at(policy.windowMs), start, 31)).toBeNull();
  });
});
