import { describe, expect, it } from 'vitest';
import {
  addDays,
  expiryJobId,
  mexicoCityMidnight,
  mexicoCityWallTime,
  noticeTime,
} from './certificate-expiry.js';

describe('Mexico City calendar', () => {
  it('puts midnight at 06:00 UTC since Mexico dropped daylight saving time (Oct 2022)', () => {
    expect(mexicoCityMidnight('2024-07-01').toISOString()).toBe('2024-07-01T06:00:00.000Z');
    expect(mexicoCityMidnight('2026-01-15').toISOString()).toBe('2026-01-15T06:00:00.000Z');
  });

  it('follows the old summer time from the tz database instead of assuming -06:00', () => {
    expect(mexicoCityMidnight('2021-07-01').toISOString()).toBe('2021-07-01T05:00:00.000Z');
    // The switch days themselves: clocks moved at 02:00, so midnight and 09:00 fall on either side.
    expect(mexicoCityMidnight('2022-04-03').toISOString()).toBe('2022-04-03T06:00:00.000Z');
    expect(mexicoCityWallTime('2022-04-03', 9).toISOString()).toBe('2022-04-03T14:00:00.000Z');
    expect(mexicoCityMidnight('2022-10-30').toISOString()).toBe('2022-10-30T05:00:00.000Z');
    expect(mexicoCityWallTime('2022-10-30', 9).toISOString()).toBe('2022-10-30T15:00:00.000Z');
  });

  it('adds calendar days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -60)).toBe('2025-12-31');
  });

  it('reminds at 09:00 N days before and expires at the end of the last valid day', () => {
    expect(noticeTime('remind-60', '2026-06-30').toISOString()).toBe('2026-05-01T15:00:00.000Z');
    expect(noticeTime('remind-30', '2026-06-30').toISOString()).toBe('2026-05-31T15:00:00.000Z');
    expect(noticeTime('remind-7', '2026-06-30').toISOString()).toBe('2026-06-23T15:00:00.000Z');
    expect(noticeTime('expired', '2026-06-30').toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });

  it('names jobs without the colon BullMQ forbids', () => {
    const id = expiryJobId({
      certificateId: '0190a1b2-0000-7000-8000-000000000001',
      kind: 'remind-7',
      validTo: '2026-06-30',
    });
    expect(id).toBe('cert-0190a1b2-0000-7000-8000-000000000001-remind-7-2026-06-30');
    expect(id).not.toContain(':');
  });

  it('rejects text that is not a date', () => {
    expect(() => mexicoCityMidnight('30/06/2026')).toThrow();
  });
});
