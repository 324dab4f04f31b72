import { ObjectType } from 'type-graphql';

/**
 * A value object: it carries only the feature's id, and each field resolver loads its figures
 * through a per-request loader, so a list of features costs one statement per field.
 */
@ObjectType({ description: "How a feature is being delivered: its pull requests, their lead time and the feature's last production deploy." })
export class FeatureDelivery {
  featureId!: string;
}
