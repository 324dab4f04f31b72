import { Directive, Field, ObjectType } from 'type-graphql';
import { CompanySegment } from '../../sales/company.type.js';
import { CompanyStub } from './company.stub.js';

/** The sales subgraph's CustomerSegment: customer success adds the health and churn risk of its companies. */
@ObjectType('CustomerSegment')
@Directive('@key(fields: "segment")')
export class CustomerSegmentStub {
  // The same enum as sales's, so both subgraphs declare one CompanySegment.
  @Field(() => CompanySegment) segment!: CompanySegment;

  @Field(() => [CompanyStub], { description: 'Owned by sales: the companies of the segment that match its filter.' })
  @Directive('@external')
  companies?: CompanyStub[] | null;
}
