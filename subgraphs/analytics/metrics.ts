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

/** Seed 000's market validation weights; they sum to 1. */
export const VALIDATION_WEIGHTS = Object.freeze({ engagement: 0.25, adoption: 0.3, satisfaction: 0.25, marketFit: 0.15, competitive: 0.05 });

/** No competitive data source is connected: every feature scores this neutral middle. */
export const NEUTRAL_COMPETITIVE_SCORE = 50;

export type ValidationComponents = { [K in keyof typeof VALIDATION_WEIGHTS]: number | null };

/** 100.0 * part / whole, 0 when whole is 0: a share in percent. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 0;
}

/**
 * Satisfaction 0..100 from CSAT and NPS answers together: each CSAT answer scores 100 when 4 or 5, else 0 (so CSAT
 * answers alone give CSAT); each NPS answer adds (NPS + 100) / 2 of its share (promoter 100, passive 50, detractor 0).
 * Null without answers.
 */
export function satisfactionScore(s: { csatResponses: number; satisfiedResponses: number; npsResponses: number; promoters: number; detractors: number }): number | null {
  const answers = s.csatResponses + s.npsResponses;
  return answers > 0 ? (100 * (s.satisfiedResponses + (s.promoters - s.detractors + s.npsResponses) / 2)) / answers : null;
}

/** sum(w_i * c_i) / sum(w_i) over the components that have data (not null). */
export function validationScore(components: ValidationComponents): number {
  let weighted = 0;
  let weights = 0;
  for (const [name, weight] of Object.entries(VALIDATION_WEIGHTS) as [keyof ValidationComponents, number][]) {
    const value = components[name];
    if (value === null) continue;
    weighted += weight * value;
    weights += weight;
  }
  return weights > 0 ? weighted / weights : 0;
}
