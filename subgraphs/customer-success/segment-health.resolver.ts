import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { fromCents, toCents } from '../../core/decimal.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { Money, money } from '../../core/money.type.js';
import { annualCents } from '../../core/recurring-revenue.js';
import { churnRiskLevel } from './churn-risk.js';
import { bandOf, HealthBand } from './health-score.type.js';
import type { CompanyScore } from './customer-success.repository.js';
import { ChurnRiskLevel } from './satisfaction.type.js';
import { SegmentArrAtRisk, SegmentHealth } from './segment-health.type.js';
import { CustomerSegmentStub } from './stubs/customer-segment.stub.js';

/** Segments and their companies from the CRMs, scores from the customer success tool. */
const HEALTH_INPUTS: readonly SyncedDomain[] = ['sales', 'customer_success'];
/** And ARR from billing's subscriptions. */
const ARR_INPUTS: readonly SyncedDomain[] = ['sales', 'customer_success', 'finance'];

const riskOf = (s: CompanyScore) => churnRiskLevel(Number(s.score), s.previousScore === null ? null : Number(s.previousScore));

@Resolver(() => CustomerSegmentStub)
export class SegmentHealthResolver {
  @FieldResolver(() => SegmentHealth, { nullable: true, description: "Health bands and churn risk of the segment's companies at an instant (now by default)." })
  @Directive('@requires(fields: "companies { id }")')
  async health(
    @Root() segment: CustomerSegmentStub,
    @Arg('at', () => DateTimeISOResolver, { nullable: true, description: 'Read each company\'s newest snapshot measured at or before this instant; now when omitted.' })
    at: Date | null,
    @Ctx() ctx: Context,
  ): Promise<SegmentHealth> {
    const instant = at ?? new Date();
    const ids = (segment.companies ?? []).map((c) => c.id);
    const found = await ctx.loaders.customerSuccess.scoresAt(instant.toISOString()).load(ids);
    const scores = ids.flatMap((id) => found.get(id) ?? []);
    const bands = scores.map((s) => bandOf(Number(s.score)));
    const risks = scores.map(riskOf);
    const scoreTotal = Number(fromCents(scores.reduce((sum, s) => sum + toCents(s.score), 0n)));
    return {
      at: instant,
      companies: ids.length,
      scoredCompanies: scores.length,
      unscoredCompanies: ids.length - scores.length,
      red: bands.filter((b) => b === HealthBand.RED).length,
      yellow: bands.filter((b) => b === HealthBand.YELLOW).length,
      green: bands.filter((b) => b === HealthBand.GREEN).length,
      highRisk: risks.filter((r) => r === ChurnRiskLevel.HIGH).length,
      mediumRisk: risks.filter((r) => r === ChurnRiskLevel.MEDIUM).length,
      lowRisk: risks.filter((r) => r === ChurnRiskLevel.LOW).length,
      scoreTotal,
      averageScore: scores.length ? scoreTotal / scores.length : null,
    };
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => SegmentArrAtRisk, {
    nullable: true,
    description: "ARR of the segment's companies at HIGH and at MEDIUM churn risk now, and of all of them (finance's Company.arr, read from the same subscriptions).",
  })
  @Directive('@requires(fields: "companies { id }")')
  async arrAtRisk(@Root() segment: CustomerSegmentStub, @Ctx() ctx: Context): Promise<SegmentArrAtRisk> {
    const ids = (segment.companies ?? []).map((c) => c.id);
    const [scores, monthly] = await Promise.all([
      ctx.loaders.customerSuccess.scoresAt(null).load(ids),
      ctx.loaders.customerSuccess.mrrOfCompanies.load(ids),
    ]);
    const sums = { high: 0n, medium: 0n, total: 0n };
    const counts = { high: 0, medium: 0 };
    let currency: string | null = null;
    for (const id of ids) {
      const mrr = monthly.get(id);
      if (mrr) currency ??= mrr.currency;
      const arr = mrr ? annualCents(mrr.amount) : 0n;
      sums.total += arr;
      const score = scores.get(id);
      if (!score) continue;
      const level = riskOf(score);
      if (level === ChurnRiskLevel.HIGH) { sums.high += arr; counts.high++; }
      if (level === ChurnRiskLevel.MEDIUM) { sums.medium += arr; counts.medium++; }
    }
    return {
      highRiskCompanies: counts.high,
      mediumRiskCompanies: counts.medium,
      highRiskValue: fromCents(sums.high),
      mediumRiskValue: fromCents(sums.medium),
      totalValue: fromCents(sums.total),
      currency: currency ?? 'USD',
    };
  }
}

@Resolver(() => SegmentHealth)
export class SegmentHealthAsOfResolver {
  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(HEALTH_INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, HEALTH_INPUTS);
  }
}

@Resolver(() => SegmentArrAtRisk)
export class SegmentArrAtRiskResolver {
  @FieldResolver(() => Money, { description: 'The sum of the ARR of the companies at HIGH churn risk; 0.00 when none.' })
  highRisk(@Root() r: SegmentArrAtRisk): Money { return money(r.highRiskValue, r.currency); }

  @FieldResolver(() => Money, { description: 'The sum of the ARR of the companies at MEDIUM churn risk; 0.00 when none.' })
  mediumRisk(@Root() r: SegmentArrAtRisk): Money { return money(r.mediumRiskValue, r.currency); }

  @FieldResolver(() => Money, { description: "The sum of the ARR of all the segment's companies: the denominator of a share at risk." })
  total(@Root() r: SegmentArrAtRisk): Money { return money(r.totalValue, r.currency); }

  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(ARR_INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, ARR_INPUTS);
  }
}
