import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { fromCents, toCents } from '../../core/decimal.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { Money, money } from '../../core/money.type.js';
import { churnRiskOf } from './churn-risk.js';
import { bandOf, HealthBand, type HealthScore } from './health-score.type.js';
import { ChurnRiskLevel } from './satisfaction.type.js';
import { SegmentArrAtRisk, SegmentHealth } from './segment-health.type.js';
import { CustomerSegmentStub } from './stubs/customer-segment.stub.js';

/** Segments and their companies from the CRMs, scores from the customer success tool. */
const HEALTH_INPUTS: readonly SyncedDomain[] = ['sales', 'customer_success'];
/** And ARR from billing. */
const ARR_INPUTS: readonly SyncedDomain[] = ['sales', 'customer_success', 'finance'];

const riskOf = (h: HealthScore) => churnRiskOf(h.score, h.previousScore).level;

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
    const scores = (await ctx.loaders.customerSuccess.healthAt(instant.toISOString()).loadMany(ids))
      .filter((h): h is HealthScore => h !== null && !(h instanceof Error));
    const bands = scores.map((h) => bandOf(h.score));
    const risks = scores.map(riskOf);
    const cents = scores.reduce((sum, h) => sum + toCents(String(h.score)), 0n);
    const scoreTotal = Number(fromCents(cents));
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
  @FieldResolver(() => SegmentArrAtRisk, { nullable: true, description: "ARR of the segment's companies at HIGH and at MEDIUM churn risk now, and of all of them." })
  @Directive('@requires(fields: "companies { id arr { amount currency } }")')
  async arrAtRisk(@Root() segment: CustomerSegmentStub, @Ctx() ctx: Context): Promise<SegmentArrAtRisk> {
    const companies = segment.companies ?? [];
    const health = await ctx.loaders.customerSuccess.latestHealth.loadMany(companies.map((c) => c.id));
    const sums = { high: 0n, medium: 0n, total: 0n };
    const counts = { high: 0, medium: 0 };
    companies.forEach((company, i) => {
      const arr = toCents(company.arr?.amount ?? '0');
      sums.total += arr;
      const h = health[i];
      if (h === null || h instanceof Error) return;
      const level = riskOf(h);
      if (level === ChurnRiskLevel.HIGH) { sums.high += arr; counts.high++; }
      if (level === ChurnRiskLevel.MEDIUM) { sums.medium += arr; counts.medium++; }
    });
    return {
      highRiskCompanies: counts.high,
      mediumRiskCompanies: counts.medium,
      highRiskValue: fromCents(sums.high),
      mediumRiskValue: fromCents(sums.medium),
      totalValue: fromCents(sums.total),
      currency: companies.find((c) => c.arr)?.arr?.currency ?? 'USD',
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
