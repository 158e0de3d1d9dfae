import { describe, expect, it } from 'vitest';
import { checkRange, lastDays } from './date-range.ts';

describe('date ranges', () => {
  it('counts the last N days including today, in UTC', () => {
    expect(lastDays(7, new Date('2026-03-10T23:30:00Z'))).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    expect(lastDays(1, new Date('2026-03-10T00:00:00Z'))).toEqual({ from: '2026-03-10', to: '2026-03-10' });
  });

  it('names what is wrong with a typed range', () => {
    expect(checkRange({ from: '2026-03-01', to: '2026-03-01' })).toBeNull();
    expect(checkRange({ from: '', to: '2026-03-01' })).toBe('Choose both a start and an end date.');
    expect(checkRange({ from: '2026-03-02', to: '2026-03-01' })).toBe('The start date must be on or before the end date.');
    expect(checkRange({ from: '2025-01-01', to: '2026-03-01' })).toBe('Choose a range of at most 366 days.');
  });
});
