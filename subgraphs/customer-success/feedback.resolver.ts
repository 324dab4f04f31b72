import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { assertId } from '../../core/ids.js';
import { BulkPageArgs, bulkPage } from '../../core/pagination.js';
import { assertRange } from '../../core/range.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Feedback, FeedbackKind } from './feedback.type.js';
import { CompanyStub } from './stubs/company.stub.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { feedbackPage } from './customer-success.repository.js';

export const FeedbackConnection = Connection(Feedback);

@InputType()
class FeedbackFilter {
  @Field(() => ID, { nullable: true }) featureId?: string | null;
  @Field(() => ID, { nullable: true }) companyId?: string | null;
  @Field(() => FeedbackKind, { nullable: true }) kind?: FeedbackKind | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Received at or after.' }) receivedFrom?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Received before.' }) receivedTo?: Date | null;
}

@ArgsType()
class FeedbackArgs extends BulkPageArgs {
  @Field(() => FeedbackFilter, { nullable: true }) filter?: FeedbackFilter | null;
}

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Query(() => FeedbackConnection, { description: 'Customer feedback, newest first.' })
  feedback(@Args(() => FeedbackArgs) args: FeedbackArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    assertRange(filter.receivedFrom, filter.receivedTo, ['filter.receivedFrom', 'filter.receivedTo']);
    return feedbackPage(ctx.db, ctx.tenantId, {
      ...filter,
      featureId: filter.featureId ? assertId(filter.featureId, 'filter.featureId') : null,
      companyId: filter.companyId ? assertId(filter.companyId, 'filter.companyId') : null,
    }, bulkPage('Query.feedback', args));
  }

  @FieldResolver(() => FeatureStub, { nullable: true }) feature(@Root() f: Feedback): FeatureStub | null { return f.featureId ? { id: f.featureId } : null; }
  @FieldResolver(() => CompanyStub, { nullable: true }) company(@Root() f: Feedback): CompanyStub | null { return f.companyId ? { id: f.companyId } : null; }
  @FieldResolver(() => Source) source(@Root() f: Feedback): Source { return sourceOf(f); }
}
