import { utcDay, windowStart } from '../../core/windows.js';

/** Power users: active with the feature on at least this many distinct days in the window (seed 000's usage_frequency >= 3). */
export const POWER_USER_MIN_DAYS = 3;

/** A feature is successful when its adoption rate is above this percentage (seed 000). */
export const SUCCESS_ADOPTION_RATE = 20;

/** The seed report's window for adoption and adopting companies. */
export const ADOPTION_WINDOW_DAYS = 90;

/** WAU and MAU: distinct users over the trailing 7 and 28 days. */
export const WAU_DAYS = 7;
export const MAU_DAYS = 28;

/** The default window of usage and company activity (MAU). */
export const USAGE_WINDOW_DAYS = MAU_DAYS;

/** A trailing window of whole UTC days: rollup rows with `day >= fromDay` are in it. */
export interface UsageWindow {
  days: number;
  windowStart: Date;
  /** windowStart's UTC date, 'YYYY-MM-DD', compared with the rollups' `day`. */
  fromDay: string;
}

/** The trailing `days` window; `days` is validated (1..3660) by core's windowStart. */
export function usageWindow(days: number): UsageWindow {
  const start = windowStart(days);
  return { days, windowStart: start, fromDay: utcDay(start) };
}

/** 100.0 * users of the feature / active users of the product; 0 when nobody was active. */
export function adoptionRate(featureUsers: number, productUsers: number): number {
  return productUsers > 0 ? (100 * featureUsers) / productUsers : 0;
}
