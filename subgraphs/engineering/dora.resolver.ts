import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { assertId } from '../../core/ids.js';
import { windowStart } from '../../core/windows.js';
import { syncedAsOf } from '../../core/freshness.js';
import { DORA_INPUTS, DoraMetrics } from './dora.type.js';
import { DoraMetricsArgs } from './dora.inputs.js';
import { doraFigures } from './dora.repository.js';

@Resolver(() => DoraMetrics)
export class DoraResolver {
  @Query(() => DoraMetrics, { description: 'The DORA Four Keys and velocity over the trailing `days`, for the tenant, one repository or one team.' })
  async doraMetrics(@Args(() => DoraMetricsArgs) args: DoraMetricsArgs, @Ctx() ctx: Context): Promise<DoraMetrics> {
    const from = windowStart(args.days);
    const to = new Date();
    const figures = await doraFigures(ctx.db, ctx.tenantId, {
      from,
      to,
      repositoryId: args.repositoryId != null ? assertId(args.repositoryId, 'repositoryId') : null,
      team: args.team,
    });
    return {
      windowStart: from,
      windowEnd: to,
      days: args.days,
      ...figures,
      deploymentsPerDay: figures.deployments / args.days,
      changeFailureRate: figures.deployments ? figures.failedDeployments / figures.deployments : null,
      mergedPullRequestsPerWeek: (figures.mergedPullRequests / args.days) * 7,
      asOf: await syncedAsOf(ctx, DORA_INPUTS),
    };
  }
}
