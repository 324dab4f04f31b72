import { badUserInput } from './errors.js';

const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 3660;

/**
 * The start of an N-day window ending now: midnight UTC N days before today, as in the
 * seed report's `CURRENT_DATE - INTERVAL '90 days'`.
 */
export function windowStart(days: number, now = new Date()): Date {
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    throw badUserInput(`A window must be 1 to ${MAX_WINDOW_DAYS} days; got ${days}.`, { argument: 'days' });
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - days * DAY_MS);
}

/** 'YYYY-MM-DD' of a Date in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
