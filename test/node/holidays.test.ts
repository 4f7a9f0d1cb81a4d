import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHolidayTable, TARGET } from '../../scripts/generate-holidays';
import { isPublicHoliday } from '../../src/domain/calendar';

describe('the public holiday table', () => {
  it('is what scripts/generate-holidays.ts writes from the installed date-holidays (run it after an upgrade)', () => {
    expect(readFileSync(TARGET, 'utf8')).toBe(generateHolidayTable());
  });

  it('knows the national holidays of the demo companies’ countries', () => {
    expect(isPublicHoliday('FR', '2026-07-14')).toBe(true);
    expect(isPublicHoliday('FR', '2026-07-15')).toBe(false);
    expect(isPublicHoliday('DE', '2026-10-03')).toBe(false); // a Saturday: weekends are not listed
    expect(isPublicHoliday('DE', '2027-10-04')).toBe(false);
    expect(isPublicHoliday('DE', '2029-03-30')).toBe(true); // Good Friday
    expect(isPublicHoliday('GB', '2026-12-28')).toBe(true); // Boxing Day, moved from Saturday
  });
});
