import { dateInZone, endOfDateInZone } from './expiry-instant';

describe('endOfDateInZone', () => {
  it('should end an Oslo winter day at 23:00 UTC', () => {
    expect(endOfDateInZone('2026-01-15', 'Europe/Oslo').toISOString()).toBe(
      '2026-01-15T23:00:00.000Z',
    );
  });

  it('should end an Oslo summer day at 22:00 UTC', () => {
    expect(endOfDateInZone('2026-07-15', 'Europe/Oslo').toISOString()).toBe(
      '2026-07-15T22:00:00.000Z',
    );
  });

  it('should use the offset of the next midnight on the day clocks go forward (23-hour day)', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST; the day ends at midnight CEST.
    expect(endOfDateInZone('2026-03-28', 'Europe/Oslo').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(endOfDateInZone('2026-03-29', 'Europe/Oslo').toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
  });

  it('should use the offset of the next midnight on the day clocks go back (25-hour day)', () => {
    // 2026-10-25 03:00 CEST → 02:00 CET.
    expect(endOfDateInZone('2026-10-24', 'Europe/Oslo').toISOString()).toBe(
      '2026-10-24T22:00:00.000Z',
    );
    expect(endOfDateInZone('2026-10-25', 'Europe/Oslo').toISOString()).toBe(
      '2026-10-25T23:00:00.000Z',
    );
  });

  it('should end the day at the transition when midnight does not exist', () => {
    // America/Santiago 2024-09-08: 00:00 -04 jumps to 01:00 -03, at 04:00 UTC.
    const end = endOfDateInZone('2024-09-07', 'America/Santiago');
    expect(end.toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(dateInZone(new Date(end.getTime() - 1000), 'America/Santiago')).toBe('2024-09-07');
    expect(dateInZone(end, 'America/Santiago')).toBe('2024-09-08');
  });

  it('should end the day after its repeated last hour when clocks go back at midnight', () => {
    // America/Santiago 2024-04-07: 00:00 -03 goes back to 23:00 -04 of the 6th, at 03:00 UTC.
    const end = endOfDateInZone('2024-04-06', 'America/Santiago');
    expect(end.toISOString()).toBe('2024-04-07T04:00:00.000Z');
    expect(dateInZone(new Date(end.getTime() - 1000), 'America/Santiago')).toBe('2024-04-06');
  });

  it('should handle UTC, zones east of it, and leap days', () => {
    expect(endOfDateInZone('2028-02-29', 'UTC').toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(endOfDateInZone('2026-12-31', 'Asia/Tokyo').toISOString()).toBe(
      '2026-12-31T15:00:00.000Z',
    );
    expect(endOfDateInZone('2026-06-01', 'Pacific/Kiritimati').toISOString()).toBe(
      '2026-06-01T10:00:00.000Z',
    );
  });

  it('should handle the first and last years of four-digit dates', () => {
    expect(endOfDateInZone('0050-06-30', 'UTC').toISOString()).toBe('0050-07-01T00:00:00.000Z');
    expect(endOfDateInZone('9999-12-31', 'Europe/Oslo').toISOString()).toBe(
      '9999-12-31T23:00:00.000Z',
    );
  });

  it('should refuse what is not a date', () => {
    expect(() => endOfDateInZone('2026-1-1', 'UTC')).toThrow(RangeError);
  });
});

describe('dateInZone', () => {
  it('should give the local calendar date', () => {
    expect(dateInZone(new Date('2026-01-15T23:30:00Z'), 'Europe/Oslo')).toBe('2026-01-16');
    expect(dateInZone(new Date('2026-01-15T22:30:00Z'), 'Europe/Oslo')).toBe('2026-01-15');
  });
});
