import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { PageArgs } from '../../core/pagination.js';
import { FeedbackKind } from './feedback.type.js';
import { FeatureSatisfaction } from './satisfaction.type.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { FeedbackConnection } from './feedback.resolver.js';

@Resolver(() => FeatureStub)
export class FeatureFeedbackResolver {
  @FieldResolver(() => FeedbackConnection, { nullable: true, description: 'Feedback on the feature, newest first.' })
  feedback(
    @Root() feature: FeatureStub,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => FeedbackKind, { nullable: true }) kind: FeedbackKind | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.loaders.customerSuccess.feedbackOfFeature({ first: page.first, after: page.after, kind: kind ?? null }).load(feature.id);
  }

  @FieldResolver(() => FeatureSatisfaction, { nullable: true, description: 'CSAT and NPS of the feature from all its feedback.' })
  satisfaction(@Root() feature: FeatureStub, @Ctx() ctx: Context): Promise<FeatureSatisfaction> {
    return ctx.loaders.customerSuccess.satisfactionOfFeature.load(feature.id);
  }
}
