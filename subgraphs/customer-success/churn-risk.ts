import { ChurnRiskLevel, type ChurnRisk } from './satisfaction.type.js';

/** The churn-risk rule stated in ChurnRisk's description. */
export function churnRiskOf(score: number, previous: number | null): ChurnRisk {
  const drop = previous === null ? 0 : previous - score;
  const reasons: string[] = [];
  if (score < 40) reasons.push(`health score ${score} is under 40`);
  else if (score < 70) reasons.push(`health score ${score} is under 70`);
  if (drop >= 5) reasons.push(`health score fell by ${Math.round(drop * 100) / 100} points`);
  const level = score < 40 || drop >= 15 ? ChurnRiskLevel.HIGH : score < 70 || drop >= 5 ? ChurnRiskLevel.MEDIUM : ChurnRiskLevel.LOW;
  return { level, reasons, score };
}
