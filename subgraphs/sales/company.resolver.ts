import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { assertId } from '../../core/ids.js';
import { bulkPage, PageArgs } from '../../core/pagination.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Company } from './company.type.js';
import { CompanyIdentity } from './company-identity.type.js';
import { CompaniesArgs, CompanyOrderField } from './company.inputs.js';
import { companyOrdering, companyPage } from './company.repository.js';
import { DealConnection } from './deal.resolver.js';

const CompanyConnection = Connection(Company);

@Resolver(() => Company)
export class CompanyResolver {
  @Query(() => Company, { nullable: true })
  company(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Company | null> {
    return ctx.loaders.sales.companyById.load(assertId(id));
  }

  @Query(() => CompanyConnection, { description: 'Customers, filtered and in a stable keyset order.' })
  companies(@Args(() => CompaniesArgs) args: CompaniesArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    const order = args.orderBy ?? { field: CompanyOrderField.NAME, direction: 'asc' };
    return companyPage(ctx.db, ctx.tenantId, { ...filter, ids: filter.ids?.map((id) => assertId(id, 'filter.ids')) }, companyOrdering(order.field, order.direction), bulkPage('Query.companies', args));
  }

  @FieldResolver(() => DealConnection, { description: "The company's deals, newest close date first." })
  deals(@Root() company: Company, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.sales.dealsOfCompany({ first: page.first, after: page.after }).load(company.id);
  }

  @FieldResolver(() => [CompanyIdentity], { description: "This company's records in every connected tool, and why each was joined to it: a few per connected vendor, so a plain list, not a connection." })
  identities(@Root() company: Company, @Ctx() ctx: Context): Promise<readonly CompanyIdentity[]> {
    return ctx.loaders.sales.identitiesOfCompany.load(company.id);
  }

  @FieldResolver(() => Source, { description: 'The CRM record the company was created from.' })
  source(@Root() company: Company): Source {
    return sourceOf(company);
  }
}
