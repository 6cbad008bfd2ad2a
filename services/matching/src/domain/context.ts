/** What every use case needs to know about the request it serves. */
import type { Principal } from '@vinculo/service-kit/auth';

export interface RequestContext {
  correlationId: string;
  principal?: Principal;
}

const mexicoCity = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Mexico_City',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// The day changes on a whole minute in Mexico City (a whole-hour offset), so one formatting per minute is exact;
// Intl formatting costs more than the rest of a cached page.
let lastMinute = Number.NaN;
let lastDay = '';

/** Today's date in Mexico City's calendar, YYYY-MM-DD: deadlines and certificate validity are read in it. */
export function todayInMexico(now: Date = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastDay = mexicoCity.format(now);
    lastMinute = minute;
  }
  return lastDay;
}

/** A real calendar date (2025-02-30 is not) within years PostgreSQL and people both read sensibly. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
