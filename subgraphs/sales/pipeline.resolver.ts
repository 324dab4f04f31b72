import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { Money, money } from '../../core/money.type.js';
import { PageArgs } from '../../core/pagination.js';
import { timeZoneOf } from '../../core/periods.js';
import { assertRange } from '../../core/range.js';
import { PipelineReport, PipelineStage } from './pipeline.type.js';
import { PipelineArgs } from './pipeline.inputs.js';
import { pipelinePage } from './pipeline.repository.js';

/** Deals and their companies come from the CRMs. */
const INPUTS: readonly SyncedDomain[] = ['sales'];

const PipelineStageConnection = Connection(PipelineStage);

const day = (text: string | null | undefined) => (text ? new Date(`${text}T00:00:00Z`) : null);

@Resolver(() => PipelineReport)
export class PipelineReportResolver {
  @Query(() => PipelineReport, { description: 'The open pipeline by stage: deals, companies and amount per stage of the open deals, filtered.' })
  pipelineByStage(@Args(() => PipelineArgs) args: PipelineArgs): PipelineReport {
    const filter = args.filter ?? {};
    assertRange(day(filter.createdFrom), day(filter.createdTo), ['filter.createdFrom', 'filter.createdTo']);
    assertRange(day(filter.closeFrom), day(filter.closeTo), ['filter.closeFrom', 'filter.closeTo']);
    return { filter, timeZone: timeZoneOf(args.timeZone) };
  }

  @FieldResolver(() => PipelineStageConnection, { description: 'One row a stage and currency, by stage then currency (keyset order).' })
  stages(@Root() report: PipelineReport, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return pipelinePage(ctx.db, ctx.tenantId, report.filter, report.timeZone, page);
  }

  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, INPUTS);
  }
}

@Resolver(() => PipelineStage)
export class PipelineStageResolver {
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { description: 'sum(amount) of the open deals in the stage and currency that match the filter; 0.00 when none.' })
  totalAmount(@Root() row: PipelineStage): Money {
    return money(row.totalValue, row.currency);
  }
}
