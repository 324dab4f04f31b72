import { sql, type Kysely } from 'kysely';

/**
 * Usage in any time zone from the UTC daily rollups: each row of analytics.user_activity_daily and
 * analytics.feature_usage_daily also keeps `active_quarters`, bit q set when the user had an event (naming the feature)
 * in [day + 15q min, day + 15(q+1) min) UTC. Every time zone's offset is a whole number of quarter hours, so any local
 * day is a union of whole UTC quarters of at most a few UTC days: a user is active on it when their rows of those days
 * have one of its quarters set.
 *
 * analytics.active_quarter(occurred_at) is the one definition of an event's bit; writers OR it into the rows.
 */
export const QUARTERS = 96;

const ROLLUPS = [
  { table: 'analytics.user_activity_daily', key: ['tenant_id', 'day', 'end_user_id'], where: '' },
  { table: 'analytics.feature_usage_daily', key: ['tenant_id', 'feature_id', 'day', 'end_user_id'], where: 'where feature_id is not null' },
];

/** Triggers that would report the backfill as new usage although no count changes. */
const QUIET_DURING_BACKFILL: Record<string, string[]> = {
  'analytics.feature_usage_daily': ['usage_metrics_updated', 'adoption_data_feature_usage_daily_update'],
  'analytics.user_activity_daily': [],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`create function analytics.active_quarter(occurred_at timestamptz) returns bit(${QUARTERS})
    language sql immutable parallel safe as $$
      select set_bit(repeat('0', ${QUARTERS})::bit(${QUARTERS}),
        (extract(hour from occurred_at at time zone 'UTC') * 4 + floor(extract(minute from occurred_at at time zone 'UTC') / 15))::int, 1)
    $$`).execute(db);
  for (const { table, key, where } of ROLLUPS) {
    await sql.raw(`alter table ${table} add column active_quarters bit(${QUARTERS}) not null default repeat('0', ${QUARTERS})::bit(${QUARTERS})`).execute(db);
    for (const trigger of QUIET_DURING_BACKFILL[table]) await sql.raw(`alter table ${table} disable trigger ${trigger}`).execute(db);
    const columns = key.map((c) => (c === 'day' ? `(occurred_at at time zone 'UTC')::date as day` : c)).join(', ');
    await sql.raw(`update ${table} t set active_quarters = e.quarters
      from (select ${columns}, bit_or(analytics.active_quarter(occurred_at)) as quarters
            from analytics.usage_events ${where} group by ${key.map((_, i) => i + 1).join(', ')}) e
      where ${key.map((c) => `t.${c} = e.${c}`).join(' and ')}`).execute(db);
    for (const trigger of QUIET_DURING_BACKFILL[table]) await sql.raw(`alter table ${table} enable trigger ${trigger}`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table } of ROLLUPS) await sql.raw(`alter table ${table} drop column active_quarters`).execute(db);
  await sql.raw('drop function analytics.active_quarter(timestamptz)').execute(db);
}
