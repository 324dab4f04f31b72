import { ObjectType } from 'type-graphql';
import { FeatureWindow } from './feature-window.type.js';
import type { FeatureSatisfactionStub } from './stubs/feature-satisfaction.stub.js';
import { VALIDATION_WEIGHTS as W } from './metrics.js';

@ObjectType({
  description:
    "A feature's market validation (seed 000): five components, each 0 to 100, and their weighted score = " +
    `(${W.engagement} * engagement + ${W.adoption} * adoption + ${W.satisfaction} * satisfaction + ${W.marketFit} * marketFit + ` +
    `${W.competitive} * competitive) / (sum of the weights of the components that are not null). Usage components read the ` +
    'daily rollups over the trailing `days` (rows with `day >= windowStart`, UTC); satisfaction reads all the feature\'s ' +
    "feedback (customer success's Feature.satisfaction, which this field requires). Counts behind each share are fields " +
    'of their own so BI tools can re-aggregate.',
})
export class MarketValidation extends FeatureWindow {
  satisfaction!: FeatureSatisfactionStub | null;
}
