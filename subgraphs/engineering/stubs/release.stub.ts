import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The product subgraph's Release: engineering adds the deployments that shipped it. */
@ObjectType('Release')
@Directive('@key(fields: "id")')
export class ReleaseStub {
  @Field(() => ID) id!: string;
}
