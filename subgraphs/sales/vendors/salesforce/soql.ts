/** SOQL text for the connector's keyset queries. */

export const API_VERSION = 'v60.0';

/** A dateTime literal: SOQL takes `YYYY-MM-DDThh:mm:ssZ` unquoted; Salesforce keeps whole seconds. */
export function dateTimeLiteral(value: Date | string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface KeysetQuery {
  object: string;
  fields: string[];
  /** The last record stored: (SystemModstamp, Id); null from the start. */
  after: { stamp: string; id: string } | null;
  /** Only records changed since (a first sync's backfill window). */
  since: Date | null;
  /** Only records changed before: seconds that may still see commits are left to the next run. */
  until: Date | null;
  limit: number;
}

/**
 * Records after the last one stored in (SystemModstamp, Id) order. Many records share one
 * SystemModstamp (a mass update, an import), so the timestamp alone would re-read or skip them
 * at a page boundary; with the Id as tiebreaker every record comes exactly once. That holds
 * for seconds no transaction can still commit into: the current one and a few before are left to
 * the next run (`until`), else a record saved later in a second already read would be skipped.
 */
export function keysetQuery(q: KeysetQuery): string {
  const where: string[] = [];
  if (q.after) {
    const stamp = dateTimeLiteral(q.after.stamp);
    where.push(`(SystemModstamp > ${stamp} OR (SystemModstamp = ${stamp} AND Id > ${stringLiteral(q.after.id)}))`);
  }
  if (q.since) where.push(`SystemModstamp >= ${dateTimeLiteral(q.since)}`);
  if (q.until) where.push(`SystemModstamp < ${dateTimeLiteral(q.until)}`);
  return `SELECT ${q.fields.join(', ')} FROM ${q.object}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY SystemModstamp, Id LIMIT ${q.limit}`;
}
