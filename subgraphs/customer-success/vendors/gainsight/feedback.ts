import type { Stream } from '../../../../sync/connector.js';
import { resolveFeatureKeys } from '../../../product/feature-keys.js';
import { feedbackMapping, SURVEY_FIELDS, surveyObject } from './mapping.js';
import { objectStream, type GainsightCursor } from './object-stream.js';

/** NPS, CSAT and comment answers from Gainsight's survey object, each about the feature it names by key. */
export const feedback: Stream<GainsightCursor> = {
  ...objectStream({ name: 'feedback', object: surveyObject, select: SURVEY_FIELDS, mapping: feedbackMapping }),
  prepare: (db, tenantId, records) => resolveFeatureKeys(db, tenantId, records),
};
