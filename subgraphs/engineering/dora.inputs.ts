import { ArgsType, Field, ID, Int } from 'type-graphql';
import { MAX_WINDOW_DAYS } from '../../core/windows.js';

@ArgsType()
export class DoraMetricsArgs {
  @Field(() => Int, { defaultValue: 30, description: `Trailing window in days, 1 to ${MAX_WINDOW_DAYS}: from midnight UTC that many days before today.` })
  days!: number;

  @Field(() => ID, { nullable: true, description: 'Only this repository.' })
  repositoryId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only the repositories of this team (Repository.team).' })
  team?: string | null;
}
