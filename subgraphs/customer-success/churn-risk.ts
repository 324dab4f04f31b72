import { ChurnRiskLevel, type ChurnRisk } from './satisfaction.type.js';

/** The level of the churn-risk rule stated in ChurnRisk's description (without its reasons: for many companies at once). */
export function churnRiskLevel(score: number, previous: number | null): ChurnRiskLevel {
  const drop = previous === null ? 0 : previous - score;
  return score < 40 || drop >= 15 ? ChurnRiskLevel.HIGH : score < 70 || drop >= 5 ? ChurnRiskLevel.MEDIUM : ChurnRiskLevel.LOW;
}

/** The churn-risk rule stated in ChurnRisk's description, with the reasons behind its level. */
export function churnRiskOf(score: number, previous: number | null): ChurnRisk {
  const drop = previous === null ? 0 : previous - score;
  const reasons: string[] = [];
  if (score < 40) reasons.push(`health score ${score} is under 40`);
  else if (score < 70) reasons.push(`health score ${score} is under 70`);
  if (drop >= 5) reasons.push(`health score fell by ${Math.round(drop * 100) / 100} points`);
  return { level: churnRiskLevel(score, previous), reasons, score };
}
