import { FieldResolver, Resolver, Root } from 'type-graphql';
import { FeatureStub } from './stubs/feature.stub.js';
import { FeatureDelivery } from './feature-delivery.type.js';

@Resolver(() => FeatureStub)
export class FeatureEngineeringResolver {
  @FieldResolver(() => FeatureDelivery, { nullable: true, description: "The feature's pull requests, their lead time and its last production deploy." })
  delivery(@Root() feature: FeatureStub): FeatureDelivery {
    return { featureId: feature.id };
  }
}
