import { ObjectType } from 'type-graphql';
import { FeatureWindow } from './feature-window.type.js';

@ObjectType({
  description:
    "A feature's adoption over the trailing `days` (seed 000's adoption report), from the daily rollups: a user is in " +
    'the window when one of their rollup rows has `day >= windowStart` (UTC date). Numerator and denominator are ' +
    'fields of their own so BI tools can re-aggregate the rate.',
})
export class FeatureAdoption extends FeatureWindow {}
