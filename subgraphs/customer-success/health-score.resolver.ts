import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { HealthScore } from './health-score.type.js';
import { ChurnRisk } from './satisfaction.type.js';
import { CompanyStub } from './stubs/company.stub.js';
import { churnRiskOf } from './churn-risk.js';

@Resolver(() => HealthScore)
export class HealthScoreResolver {
  @FieldResolver(() => CompanyStub) company(@Root() h: HealthScore): CompanyStub { return { id: h.companyId }; }
  @FieldResolver(() => Source) source(@Root() h: HealthScore): Source { return sourceOf(h); }
}

@Resolver(() => CompanyStub)
export class CompanyHealthResolver {
  @FieldResolver(() => HealthScore, { nullable: true, description: "The company's newest health score; null when it has none." })
  health(@Root() company: CompanyStub, @Ctx() ctx: Context): Promise<HealthScore | null> {
    return ctx.loaders.customerSuccess.latestHealth.load(company.id);
  }

  @FieldResolver(() => ChurnRisk, { nullable: true, description: 'Churn risk from the newest health score (rule in ChurnRisk); null without a score.' })
  async churnRisk(@Root() company: CompanyStub, @Ctx() ctx: Context): Promise<ChurnRisk | null> {
    const health = await ctx.loaders.customerSuccess.latestHealth.load(company.id);
    return health ? churnRiskOf(health.score, health.previousScore) : null;
  }
}
