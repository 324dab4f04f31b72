import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { assertId } from '../../core/ids.js';
import { BulkPageArgs, bulkPage } from '../../core/pagination.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Experiment } from './experiment.type.js';
import { experimentPage } from './experiment.repository.js';
import { FeatureStub } from './stubs/feature.stub.js';

const ExperimentConnection = Connection(Experiment);

@Resolver(() => Experiment)
export class ExperimentResolver {
  @Query(() => Experiment, { nullable: true, description: 'An experiment by id; null when this tenant has none with that id.' })
  experiment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Experiment | null> {
    return ctx.loaders.analytics.experimentById.load(assertId(id));
  }

  @Query(() => ExperimentConnection, { description: 'Experiments, most recently started first; never-started drafts last.' })
  experiments(@Args(() => BulkPageArgs) args: BulkPageArgs, @Ctx() ctx: Context) {
    return experimentPage(ctx.db, ctx.tenantId, bulkPage('Query.experiments', args));
  }

  @FieldResolver(() => FeatureStub, { nullable: true, description: 'The feature the experiment tests, when linked.' })
  feature(@Root() experiment: Experiment): FeatureStub | null {
    return experiment.featureId ? { id: experiment.featureId } : null;
  }

  @FieldResolver(() => Source)
  source(@Root() experiment: Experiment): Source {
    return sourceOf(experiment);
  }
}
