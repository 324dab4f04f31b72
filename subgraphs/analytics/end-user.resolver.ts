import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { nodeFieldNames } from '../../core/selection.js';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { bulkPage } from '../../core/pagination.js';
import { assertId } from '../../core/ids.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { EndUser } from './end-user.type.js';
import { EndUsersArgs } from './end-user.inputs.js';
import { endUserPage, WALK_COLUMNS } from './end-user.repository.js';
import { CompanyStub } from './stubs/company.stub.js';

const EndUserConnection = Connection(EndUser);
/** The fields WALK_COLUMNS answers. */
const WALK_FIELDS: ReadonlySet<string> = new Set(['id', 'email', 'lastSeenAt', 'company', '__typename']);

@Resolver(() => EndUser)
export class EndUserResolver {
  @Query(() => EndUser, { nullable: true, description: 'An end user by id; null when this tenant has none with that id.' })
  endUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<EndUser | null> {
    return ctx.loaders.analytics.endUserById.load(assertId(id));
  }

  @Query(() => EndUserConnection, { description: 'End users, filtered, ordered by id (stable: a BI tool can walk them all).' })
  endUsers(@Args(() => EndUsersArgs) args: EndUsersArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    const filter = args.filter ?? {};
    const companyId = filter.companyId != null ? assertId(filter.companyId, 'filter.companyId') : null;
    const asked = nodeFieldNames(info);
    const columns = asked && [...asked].every((name) => WALK_FIELDS.has(name)) ? WALK_COLUMNS : undefined;
    return endUserPage(ctx.db, ctx.tenantId, { companyId, lastSeenFrom: filter.lastSeenFrom }, bulkPage('Query.endUsers', args), columns);
  }

  @FieldResolver(() => CompanyStub, { nullable: true, description: 'The customer this user belongs to; null when not resolved to one.' })
  company(@Root() user: EndUser): CompanyStub | null {
    return user.companyId ? { id: user.companyId } : null;
  }

  @FieldResolver(() => Source)
  source(@Root() user: EndUser): Source {
    return sourceOf(user);
  }
}
