import type { Stream } from '../../../../sync/connector.js';
import { healthScoreMapping, SNAPSHOT_FIELDS, snapshotObject } from './mapping.js';
import { objectStream, type GainsightCursor } from './object-stream.js';

/**
 * Health history. The Company keeps only its Current Score and Previous Score; the score over
 * time lives in a snapshot object a Gainsight rule fills as each scoring period closes (one
 * record a company and period: CompanyId, CurrentScore, PreviousScore, SnapshotDate). Each
 * snapshot is one health score row, the newest being the company's Current Score.
 */
export const healthScores: Stream<GainsightCursor> = objectStream({
  name: 'health_scores',
  object: snapshotObject,
  select: SNAPSHOT_FIELDS,
  mapping: healthScoreMapping,
});
