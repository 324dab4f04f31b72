import { sql, type Kysely } from 'kysely';
import { APP_ROLE } from './0002_row_level_security.js';

/**
 * The domain events subscribers follow beyond releases, each written by a trigger in the
 * transaction that changes the data: feedback received, a deal closed, a company's churn risk
 * changed band, and feature usage updated. Usage rollups change by the thousand as events land,
 * so their trigger runs once a statement and speaks for each feature at most once a minute.
 */
const statements = [
  `create function customer_success.feedback_event() returns trigger language plpgsql as $$
   begin
     if new.feature_id is not null then
       insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
       values (new.tenant_id, 'user_feedback', 'Feature', new.feature_id,
               jsonb_build_object('feedbackId', new.id, 'kind', new.kind, 'score', new.score));
     end if;
     return null;
   end $$`,
  `create trigger feedback_event after insert on customer_success.feedback for each row execute function customer_success.feedback_event()`,

  `create function sales.deal_closed_event() returns trigger language plpgsql as $$
   begin
     if new.is_closed and (tg_op = 'INSERT' or not old.is_closed) then
       insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
       values (new.tenant_id, 'deal_closed', 'Deal', new.id, jsonb_build_object('won', new.is_won, 'stage', new.stage));
     end if;
     return null;
   end $$`,
  `create trigger deal_closed_event after insert or update of is_closed on sales.deals for each row execute function sales.deal_closed_event()`,

  // The health bands of HealthScore.band: red below 40, yellow below 70, green from 70.
  `create function customer_success.health_band(score numeric) returns text language sql immutable as $$
     select case when score is null then null when score < 40 then 'red' when score < 70 then 'yellow' else 'green' end $$`,
  `create function customer_success.churn_risk_event() returns trigger language plpgsql as $$
   declare
     was text := customer_success.health_band(new.previous_score);
     now_band text := customer_success.health_band(new.score);
   begin
     if was is distinct from now_band and (tg_op = 'INSERT' or old.score is distinct from new.score) then
       insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id, payload)
       values (new.tenant_id, 'churn_risk', 'Company', new.company_id, jsonb_build_object('from', was, 'to', now_band, 'healthScoreId', new.id));
     end if;
     return null;
   end $$`,
  `create trigger churn_risk_event after insert or update of score, previous_score on customer_success.health_scores
     for each row execute function customer_success.churn_risk_event()`,

  `create table analytics.usage_event_marks (
    tenant_id text not null,
    feature_id uuid not null,
    emitted_at timestamptz not null,
    primary key (tenant_id, feature_id))`,
  `alter table analytics.usage_event_marks enable row level security`,
  `create policy tenant_isolation on analytics.usage_event_marks to ${APP_ROLE}
     using (tenant_id = current_setting('app.tenant_id', true)) with check (tenant_id = current_setting('app.tenant_id', true))`,
  `create function analytics.usage_metrics_event() returns trigger language plpgsql as $$
   begin
     with touched as (select distinct tenant_id, feature_id from changed),
     due as (
       insert into analytics.usage_event_marks as m (tenant_id, feature_id, emitted_at)
       select tenant_id, feature_id, now() from touched order by 1, 2
       on conflict (tenant_id, feature_id) do update set emitted_at = excluded.emitted_at
         where m.emitted_at < now() - interval '1 minute'
       returning tenant_id, feature_id)
     insert into integrations.outbox (tenant_id, event_type, entity_type, entity_id)
     select tenant_id, 'usage_metrics', 'Feature', feature_id from due order by 1, 2;
     return null;
   end $$`,
  `create trigger usage_metrics_inserted after insert on analytics.feature_usage_daily
     referencing new table as changed for each statement execute function analytics.usage_metrics_event()`,
  `create trigger usage_metrics_updated after update on analytics.feature_usage_daily
     referencing new table as changed for each statement execute function analytics.usage_metrics_event()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'drop trigger usage_metrics_updated on analytics.feature_usage_daily', 'drop trigger usage_metrics_inserted on analytics.feature_usage_daily',
    'drop function analytics.usage_metrics_event()', 'drop table analytics.usage_event_marks',
    'drop trigger churn_risk_event on customer_success.health_scores', 'drop function customer_success.churn_risk_event()', 'drop function customer_success.health_band(numeric)',
    'drop trigger deal_closed_event on sales.deals', 'drop function sales.deal_closed_event()',
    'drop trigger feedback_event on customer_success.feedback', 'drop function customer_success.feedback_event()',
  ]) await sql.raw(statement).execute(db);
}
