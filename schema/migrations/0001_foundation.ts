import { sql, type Kysely } from 'kysely';

/** The columns every vendor-backed row carries: where it came from and when we last saw it. */
const SOURCE = `
  vendor text not null,
  external_id text not null,
  url text,
  synced_at timestamptz not null default now(),
  vendor_updated_at timestamptz,
  raw jsonb`;

const TIMESTAMPS = `
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()`;

const statements = [
  `create schema if not exists product`,
  `create schema if not exists engineering`,
  `create schema if not exists analytics`,
  `create schema if not exists sales`,
  `create schema if not exists finance`,
  `create schema if not exists customer_success`,
  `create schema if not exists integrations`,

  // product ------------------------------------------------------------------
  `create table product.releases (
    tenant_id text not null,
    id uuid not null,
    name text not null,
    version text,
    description text,
    released boolean not null default false,
    release_date date,
    released_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index releases_by_date on product.releases (tenant_id, release_date, id)`,

  `create table product.features (
    tenant_id text not null,
    id uuid not null,
    key text not null,
    name text not null,
    description text,
    status text not null check (status in ('backlog', 'planned', 'in_progress', 'released', 'archived')),
    priority text not null default 'medium' check (priority in ('low', 'medium', 'high', 'critical')),
    team text,
    release_id uuid,
    released_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id),
    foreign key (tenant_id, release_id) references product.releases (tenant_id, id))`,
  `create index features_by_name on product.features (tenant_id, name, id)`,
  `create index features_by_released_at on product.features (tenant_id, released_at, id)`,
  `create index features_by_updated_at on product.features (tenant_id, updated_at, id)`,
  `create index features_by_release on product.features (tenant_id, release_id)`,
  `create index features_by_key on product.features (tenant_id, key)`,

  `create table product.feature_requests (
    tenant_id text not null,
    id uuid not null,
    feature_id uuid,
    company_id uuid,
    title text not null,
    votes integer not null default 0 check (votes >= 0),
    status text not null default 'open' check (status in ('open', 'planned', 'done', 'declined')),${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id),
    foreign key (tenant_id, feature_id) references product.features (tenant_id, id))`,
  `create index feature_requests_by_feature on product.feature_requests (tenant_id, feature_id, created_at, id)`,

  // engineering --------------------------------------------------------------
  `create table engineering.repositories (
    tenant_id text not null,
    id uuid not null,
    full_name text not null,
    team text,
    default_branch text not null default 'main',${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index repositories_by_name on engineering.repositories (tenant_id, full_name, id)`,

  `create table engineering.deployments (
    tenant_id text not null,
    id uuid not null,
    repository_id uuid not null,
    release_id uuid,
    environment text not null,
    status text not null check (status in ('success', 'failure', 'in_progress')),
    sha text,
    deployed_at timestamptz not null,
    restored_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id),
    foreign key (tenant_id, repository_id) references engineering.repositories (tenant_id, id))`,
  `create index deployments_by_release on engineering.deployments (tenant_id, release_id, deployed_at, id)`,
  `create index deployments_by_repository on engineering.deployments (tenant_id, repository_id, deployed_at, id)`,

  `create table engineering.pull_requests (
    tenant_id text not null,
    id uuid not null,
    repository_id uuid not null,
    feature_id uuid,
    deployment_id uuid,
    number integer not null,
    title text not null,
    state text not null check (state in ('open', 'closed', 'merged')),
    author text,
    opened_at timestamptz not null,
    first_commit_at timestamptz,
    merged_at timestamptz,
    closed_at timestamptz,
    additions integer not null default 0,
    deletions integer not null default 0,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id),
    foreign key (tenant_id, repository_id) references engineering.repositories (tenant_id, id),
    foreign key (tenant_id, deployment_id) references engineering.deployments (tenant_id, id))`,
  `create index pull_requests_by_feature on engineering.pull_requests (tenant_id, feature_id, opened_at, id)`,
  `create index pull_requests_by_repository on engineering.pull_requests (tenant_id, repository_id, opened_at, id)`,

  // analytics ----------------------------------------------------------------
  `create table analytics.end_users (
    tenant_id text not null,
    id uuid not null,
    company_id uuid,
    email text,
    first_seen_at timestamptz,
    last_seen_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index end_users_by_company on analytics.end_users (tenant_id, company_id, id)`,
  // last_seen_at is the user's last active UTC day, kept by the usage rollup: "active since X" is a range of this index.
  `create index end_users_by_last_seen on analytics.end_users (tenant_id, last_seen_at)`,

  // Raw events, partitioned by month: reports read the daily rollups below, never this table.
  `create table analytics.usage_events (
    tenant_id text not null,
    occurred_at timestamptz not null,
    insert_id text not null,
    end_user_id uuid not null,
    feature_id uuid,
    event_type text not null,
    vendor text not null,
    synced_at timestamptz not null default now(),
    raw jsonb,
    primary key (tenant_id, occurred_at, insert_id)) partition by range (occurred_at)`,
  `create table analytics.usage_events_default partition of analytics.usage_events default`,
  `create function analytics.ensure_usage_partitions(from_ts timestamptz, to_ts timestamptz) returns void
   language plpgsql as $$
   declare
     month date := date_trunc('month', from_ts at time zone 'UTC')::date;
     part text;
   begin
     while month <= (to_ts at time zone 'UTC')::date loop
       part := format('usage_events_%s', to_char(month, 'YYYY_MM'));
       if to_regclass(format('analytics.%I', part)) is null then
         execute format(
           'create table analytics.%I partition of analytics.usage_events for values from (%L) to (%L)',
           part, (month::timestamp at time zone 'UTC'), ((month + interval '1 month')::timestamp at time zone 'UTC'));
       end if;
       month := (month + interval '1 month')::date;
     end loop;
   end $$`,

  // One row a feature, user and UTC day: adoption, power users and active users read these.
  `create table analytics.feature_usage_daily (
    tenant_id text not null,
    feature_id uuid not null,
    day date not null,
    end_user_id uuid not null,
    event_count integer not null check (event_count > 0),
    primary key (tenant_id, feature_id, day, end_user_id))`,
  `create table analytics.user_activity_daily (
    tenant_id text not null,
    day date not null,
    end_user_id uuid not null,
    event_count integer not null check (event_count > 0),
    primary key (tenant_id, day, end_user_id))`,

  `create table analytics.experiments (
    tenant_id text not null,
    id uuid not null,
    feature_id uuid,
    name text not null,
    status text not null check (status in ('draft', 'running', 'stopped')),
    started_at timestamptz,
    ended_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,

  // sales --------------------------------------------------------------------
  // One row a real customer, resolved across the CRM, billing, success and analytics tools.
  `create table sales.companies (
    tenant_id text not null,
    id uuid not null,
    name text not null,
    domain text,
    industry text,
    employees integer,
    segment text not null default 'smb' check (segment in ('smb', 'mid_market', 'enterprise')),
    owner text,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index companies_by_name on sales.companies (tenant_id, name, id)`,
  `create unique index companies_by_domain on sales.companies (tenant_id, domain) where domain is not null`,

  // Why a vendor's record is this company: an explicit mapping, or the same web domain.
  `create table sales.company_identities (
    tenant_id text not null,
    vendor text not null,
    external_id text not null,
    company_id uuid not null,
    domain text,
    matched_by text not null check (matched_by in ('explicit', 'domain', 'created')),
    matched_at timestamptz not null default now(),
    primary key (tenant_id, vendor, external_id),
    foreign key (tenant_id, company_id) references sales.companies (tenant_id, id) on delete cascade)`,
  `create index company_identities_by_company on sales.company_identities (tenant_id, company_id)`,

  `create table sales.deals (
    tenant_id text not null,
    id uuid not null,
    company_id uuid not null,
    name text not null,
    stage text not null,
    amount numeric(18, 2) not null default 0,
    currency char(3) not null default 'USD',
    close_date date,
    is_closed boolean not null default false,
    is_won boolean not null default false,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id),
    foreign key (tenant_id, company_id) references sales.companies (tenant_id, id))`,
  `create index deals_by_company on sales.deals (tenant_id, company_id) include (amount, is_won, currency)`,
  `create index deals_by_close_date on sales.deals (tenant_id, close_date, id)`,
  `create index deals_by_amount on sales.deals (tenant_id, amount, id)`,

  // finance ------------------------------------------------------------------
  `create table finance.subscriptions (
    tenant_id text not null,
    id uuid not null,
    company_id uuid,
    status text not null check (status in ('trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'paused')),
    plan text,
    amount numeric(18, 2) not null,
    currency char(3) not null default 'USD',
    billing_interval text not null check (billing_interval in ('month', 'year')),
    started_at timestamptz not null,
    current_period_end timestamptz,
    canceled_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index subscriptions_by_company on finance.subscriptions (tenant_id, company_id)`,

  `create table finance.invoices (
    tenant_id text not null,
    id uuid not null,
    company_id uuid,
    subscription_id uuid,
    number text,
    status text not null check (status in ('draft', 'open', 'paid', 'void', 'uncollectible')),
    amount_due numeric(18, 2) not null,
    amount_paid numeric(18, 2) not null default 0,
    currency char(3) not null default 'USD',
    issued_at timestamptz not null,
    paid_at timestamptz,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index invoices_by_company on finance.invoices (tenant_id, company_id, issued_at, id)`,

  `create table finance.cost_entries (
    tenant_id text not null,
    id uuid not null,
    feature_id uuid,
    category text not null check (category in ('engineering', 'design', 'infrastructure', 'research', 'other')),
    amount numeric(18, 2) not null check (amount >= 0),
    currency char(3) not null default 'USD',
    incurred_on date not null,
    description text,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index cost_entries_by_feature on finance.cost_entries (tenant_id, feature_id) include (amount, currency)`,

  `create table finance.budgets (
    tenant_id text not null,
    id uuid not null,
    team text not null,
    period_start date not null,
    period_end date not null,
    amount numeric(18, 2) not null,
    currency char(3) not null default 'USD',${TIMESTAMPS},
    primary key (tenant_id, id))`,

  // customer success ---------------------------------------------------------
  `create table customer_success.health_scores (
    tenant_id text not null,
    id uuid not null,
    company_id uuid not null,
    score numeric(5, 2) not null check (score between 0 and 100),
    previous_score numeric(5, 2),
    measured_at timestamptz not null,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id))`,
  `create index health_scores_by_company on customer_success.health_scores (tenant_id, company_id, measured_at desc, id)`,

  `create table customer_success.feedback (
    tenant_id text not null,
    id uuid not null,
    feature_id uuid,
    company_id uuid,
    end_user_id uuid,
    kind text not null check (kind in ('nps', 'csat', 'comment')),
    score smallint,
    body text,
    received_at timestamptz not null,${SOURCE},${TIMESTAMPS},
    primary key (tenant_id, id),
    unique (tenant_id, vendor, external_id),
    check ((kind = 'nps' and score between 0 and 10) or (kind = 'csat' and score between 1 and 5) or (kind = 'comment')))`,
  `create index feedback_by_feature on customer_success.feedback (tenant_id, feature_id, received_at desc, id)`,
  `create index feedback_by_company on customer_success.feedback (tenant_id, company_id, received_at desc, id)`,

  // integrations -------------------------------------------------------------
  `create table integrations.connections (
    tenant_id text not null,
    id uuid not null,
    vendor text not null,
    domain text not null check (domain in ('product', 'engineering', 'analytics', 'sales', 'finance', 'customer_success')),
    name text not null,
    status text not null check (status in ('active', 'paused', 'needs_reauth', 'error', 'disconnected')),
    base_url text,
    config jsonb not null default '{}',
    credentials bytea,
    last_success_at timestamptz,
    last_error text,
    last_error_at timestamptz,
    records_synced bigint not null default 0,
    next_run_at timestamptz,${TIMESTAMPS},
    primary key (tenant_id, id))`,

  `create table integrations.sync_cursors (
    tenant_id text not null,
    connection_id uuid not null,
    stream text not null,
    cursor jsonb,
    updated_at timestamptz not null default now(),
    primary key (tenant_id, connection_id, stream),
    foreign key (tenant_id, connection_id) references integrations.connections (tenant_id, id) on delete cascade)`,

  `create table integrations.sync_runs (
    tenant_id text not null,
    id uuid not null,
    connection_id uuid not null,
    stream text not null,
    kind text not null default 'incremental' check (kind in ('full', 'incremental', 'reconcile')),
    status text not null check (status in ('running', 'succeeded', 'failed')),
    started_at timestamptz not null,
    finished_at timestamptz,
    records_read integer not null default 0,
    records_written integer not null default 0,
    record_errors integer not null default 0,
    error text,
    primary key (tenant_id, id),
    foreign key (tenant_id, connection_id) references integrations.connections (tenant_id, id) on delete cascade)`,
  `create index sync_runs_by_connection on integrations.sync_runs (tenant_id, connection_id, started_at desc, id)`,

  `create table integrations.record_errors (
    tenant_id text not null,
    id uuid not null,
    connection_id uuid not null,
    run_id uuid,
    stream text not null,
    external_id text,
    reason text not null,
    payload jsonb,
    created_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, connection_id) references integrations.connections (tenant_id, id) on delete cascade)`,
  `create index record_errors_by_connection on integrations.record_errors (tenant_id, connection_id, created_at desc, id)`,

  `create table integrations.webhook_receipts (
    tenant_id text not null,
    connection_id uuid not null,
    delivery_id text not null,
    event_type text not null,
    received_at timestamptz not null default now(),
    processed_at timestamptz,
    payload jsonb not null,
    primary key (tenant_id, connection_id, delivery_id),
    foreign key (tenant_id, connection_id) references integrations.connections (tenant_id, id) on delete cascade)`,

  // Events for subscribers, written in the same transaction as the rows they describe.
  `create table integrations.outbox (
    seq bigint generated always as identity primary key,
    tenant_id text not null,
    event_type text not null,
    entity_type text not null,
    entity_id uuid not null,
    payload jsonb not null default '{}',
    created_at timestamptz not null default now())`,
  `create index outbox_by_tenant on integrations.outbox (tenant_id, seq)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['integrations', 'customer_success', 'finance', 'sales', 'analytics', 'engineering', 'product']) {
    await sql.raw(`drop schema if exists ${name} cascade`).execute(db);
  }
}
