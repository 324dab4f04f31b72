import { Field, Float, Int, ObjectType } from 'type-graphql';
import { asOfDescription, type SyncedDomain } from '../../core/freshness.js';

/** GitHub (engineering) feeds the Four Keys and velocity. */
export const DORA_INPUTS: SyncedDomain[] = ['engineering'];
import { DateTimeISOResolver } from 'graphql-scalars';

@ObjectType({
  description:
    'The DORA Four Keys over a trailing window, from production deployments only (environment "production", ' +
    'case-insensitive) that finished (status SUCCESS or FAILURE) with `windowStart <= deployedAt < windowEnd`, ' +
    'optionally of one repository or of the repositories of one team. Numerators and denominators are fields of ' +
    'their own so BI tools can re-aggregate the ratios.',
})
export class DoraMetrics {
  @Field(() => DateTimeISOResolver, { description: 'Midnight UTC `days` days before today (inclusive).' }) windowStart!: Date;
  @Field(() => DateTimeISOResolver, { description: 'When the figures were computed (exclusive).' }) windowEnd!: Date;
  @Field(() => Int, { description: 'The `days` asked for: the denominator of deploymentsPerDay.' }) days!: number;
  @Field(() => Int, { description: 'Finished production deployments in the window (SUCCESS + FAILURE).' }) deployments!: number;
  @Field(() => Int, { description: 'Of those, deployments with status FAILURE (they caused a failure in production).' }) failedDeployments!: number;
  @Field(() => Float, { description: 'Deployment frequency: deployments / days.' }) deploymentsPerDay!: number;
  @Field(() => Float, { nullable: true, description: 'Change failure rate: failedDeployments / deployments (0..1); null when there were no deployments.' })
  changeFailureRate!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Median lead time for changes, in hours: the median of `deployedAt - coalesce(firstCommitAt, openedAt)` over the ' +
      'pull requests shipped by the deployments counted here; null when they shipped none.',
  })
  medianLeadTimeHours!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Median time to restore service, in hours: the median of `restoredAt - deployedAt` over the FAILURE deployments counted here that were restored; null when none was.',
  })
  medianTimeToRestoreHours!: number | null;
  @Field(() => Int, { description: 'Pull requests merged in the window (`windowStart <= mergedAt < windowEnd`) into the repositories counted here: the numerator of velocity.' })
  mergedPullRequests!: number;
  @Field(() => Float, { description: 'Velocity: mergedPullRequests / days * 7, pull requests merged per week.' })
  mergedPullRequestsPerWeek!: number;
  @Field(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(DORA_INPUTS) })
  asOf!: Date | null;
}
