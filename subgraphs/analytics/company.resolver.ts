import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { MAX_WINDOW_DAYS } from '../../core/windows.js';
import { CompanyStub } from './stubs/company.stub.js';
import { USAGE_WINDOW_DAYS, usageWindow } from './metrics.js';

@Resolver(() => CompanyStub)
export class CompanyAnalyticsResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "Distinct end users of the company (end_users.company_id) with a user_activity_daily row on or after midnight UTC `days` days " +
      'before today: DAU, WAU and MAU are days = 1, 7 and 28.',
  })
  activeUsers(
    @Root() company: CompanyStub,
    @Arg('days', () => Int, { defaultValue: USAGE_WINDOW_DAYS, description: `Trailing window in days, 1 to ${MAX_WINDOW_DAYS}.` }) days: number,
    @Ctx() ctx: Context,
  ): Promise<number> {
    const { fromDay } = usageWindow(days);
    return ctx.loaders.analytics.companyActiveUsers(fromDay).load(company.id);
  }
}
