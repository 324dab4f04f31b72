import { registerEnumType } from 'type-graphql';
import { badUserInput } from './errors.js';
import { assertRange } from './range.js';
import { utcDay } from './windows.js';

const DAY_MS = 86_400_000;

/** The most periods one report answers: a year and a month of days, or 33 years of months. */
export const MAX_PERIODS = 400;

export enum Granularity {
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(Granularity, {
  name: 'Granularity',
  description: 'The length of a report period: calendar periods, clipped to the report\'s `from` and `to`.',
  valuesConfig: {
    DAY: { description: 'One calendar day.' },
    WEEK: { description: 'An ISO week: Monday to Sunday.' },
    MONTH: { description: 'A calendar month.' },
  },
});

/** One period of a report: its first and last day (both included, 'YYYY-MM-DD') and how many days it has. */
export interface Period {
  start: string;
  last: string;
  days: number;
}

const dayOf = (text: string) => new Date(`${text}T00:00:00Z`);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

/** The first day of the calendar period holding `date`. */
function periodStart(date: Date, granularity: Granularity): Date {
  if (granularity === Granularity.WEEK) return addDays(date, -((date.getUTCDay() + 6) % 7));
  if (granularity === Granularity.MONTH) return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  return date;
}

/** The first day of the calendar period after the one starting on `start`. */
function nextPeriod(start: Date, granularity: Granularity): Date {
  if (granularity === Granularity.WEEK) return addDays(start, 7);
  if (granularity === Granularity.MONTH) return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return addDays(start, 1);
}

/**
 * The periods of the days `from` (included) to `to` (excluded): calendar days, ISO weeks or
 * months, the first starting on `from` and the last ending the day before `to` (so both may be
 * partial). 1 to MAX_PERIODS of them, else a BAD_USER_INPUT error.
 */
export function calendarPeriods(from: string, to: string, granularity: Granularity): Period[] {
  const [first, end] = [dayOf(from), dayOf(to)];
  assertRange(first, end, ['from', 'to']);
  const periods: Period[] = [];
  for (let start = first; start < end; start = nextPeriod(periodStart(start, granularity), granularity)) {
    if (periods.length === MAX_PERIODS) {
      throw badUserInput(
        `A report has 1 to ${MAX_PERIODS} periods; ${from} to ${to} by ${granularity} has more: narrow the range or use a longer granularity.`,
        { argument: 'to', maximum: MAX_PERIODS },
      );
    }
    const next = nextPeriod(periodStart(start, granularity), granularity);
    const last = addDays(next < end ? next : end, -1);
    periods.push({ start: utcDay(start), last: utcDay(last), days: Math.round((last.getTime() - start.getTime()) / DAY_MS) + 1 });
  }
  return periods;
}

/** The day `days` before `day`, 'YYYY-MM-DD'. */
export function daysBefore(day: string, days: number): string {
  return utcDay(addDays(dayOf(day), -days));
}

/**
 * The canonical IANA name of `timeZone` ("Etc/UTC" -> "UTC", "europe/paris" -> "Europe/Paris"); an unknown name is a
 * BAD_USER_INPUT error.
 */
export function timeZoneOf(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw badUserInput(`"${timeZone}" is not an IANA time zone name (e.g. "UTC", "Europe/Paris").`, { argument: 'timeZone' });
  }
}
