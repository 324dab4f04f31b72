import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';

/** numeric and bigint come back from pg as strings: money stays exact. */
type Decimal = ColumnType<string, string | number, string | number>;
type BigIntString = ColumnType<string, string | number | bigint, string | number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are kept as 'YYYY-MM-DD' strings so no time zone shifts them. */
type DateOnly = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | undefined, string>;

interface Tenant {
  tenant_id: string;
}

/** Where a vendor-backed row came from and when we last saw it. */
export interface SourceColumns {
  vendor: string;
  external_id: string;
  url: string | null;
  synced_at: DefaultTimestamp;
  vendor_updated_at: Timestamp | null;
  raw: Json | null;
}

interface Timestamps {
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ReleaseTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  name: string;
  version: string | null;
  description: string | null;
  released: ColumnType<boolean, boolean | undefined, boolean>;
  release_date: DateOnly | null;
  released_at: Timestamp | null;
}

export type FeatureStatus = 'backlog' | 'planned' | 'in_progress' | 'released' | 'archived';
export type FeaturePriority = 'low' | 'medium' | 'high' | 'critical';

export interface FeatureTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  key: string;
  name: string;
  description: string | null;
  status: FeatureStatus;
  priority: ColumnType<FeaturePriority, FeaturePriority | undefined, FeaturePriority>;
  team: string | null;
  release_id: string | null;
  released_at: Timestamp | null;
}

export interface FeatureRequestTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  feature_id: string | null;
  company_id: string | null;
  title: string;
  votes: ColumnType<number, number | undefined, number>;
  status: ColumnType<'open' | 'planned' | 'done' | 'declined', 'open' | 'planned' | 'done' | 'declined' | undefined>;
}

export interface RepositoryTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  full_name: string;
  team: string | null;
  default_branch: ColumnType<string, string | undefined, string>;
}

export interface DeploymentTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  repository_id: string;
  release_id: string | null;
  environment: string;
  status: 'success' | 'failure' | 'in_progress';
  sha: string | null;
  deployed_at: Timestamp;
  restored_at: Timestamp | null;
}

export interface PullRequestTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  repository_id: string;
  feature_id: string | null;
  deployment_id: string | null;
  number: number;
  title: string;
  state: 'open' | 'closed' | 'merged';
  author: string | null;
  opened_at: Timestamp;
  first_commit_at: Timestamp | null;
  merged_at: Timestamp | null;
  closed_at: Timestamp | null;
  additions: ColumnType<number, number | undefined, number>;
  deletions: ColumnType<number, number | undefined, number>;
  /** The issue keys its title and head branch name, in order (generated, migration 0016). */
  issue_keys: GeneratedAlways<string[]>;
}

export interface EndUserTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  company_id: string | null;
  email: string | null;
  first_seen_at: Timestamp | null;
  last_seen_at: Timestamp | null;
}

export interface UsageEventTable extends Tenant {
  occurred_at: Timestamp;
  insert_id: string;
  end_user_id: string;
  feature_id: string | null;
  event_type: string;
  vendor: string;
  synced_at: DefaultTimestamp;
  /** The vendor's event as received; not filled by Amplitude, whose events stay in analytics.usage_event_archives. */
  raw: Json | null;
}

/** A file of a vendor's event export as it was sent (Amplitude: gzipped JSON lines): the events' raw payloads. */
export interface UsageEventArchiveTable extends Tenant {
  connection_id: string;
  file_name: string;
  upload_hour: Timestamp | null;
  data: Buffer;
  synced_at: DefaultTimestamp;
}

export interface FeatureUsageDailyTable extends Tenant {
  feature_id: string;
  day: DateOnly;
  end_user_id: string;
  event_count: number;
  /** Bit q: an event in the day's UTC quarter hour q (migration 0011). */
  active_quarters: Generated<string>;
}

export interface UserActivityDailyTable extends Tenant {
  day: DateOnly;
  end_user_id: string;
  event_count: number;
  /** Bit q: an event in the day's UTC quarter hour q (migration 0011). */
  active_quarters: Generated<string>;
}

/** Per UTC day, its active users by the days since their previous active day (capped): kept by triggers (migration 0009). */
export interface UserActivityGapTable extends Tenant {
  day: DateOnly;
  gap: number;
  users: number;
}

/** Per feature and UTC day, its users by the days since their previous day with the feature (capped): kept by triggers (0009). */
export interface FeatureUsageGapTable extends UserActivityGapTable {
  feature_id: string;
}

/** Bumped with every change to the data behind the reports kept per data version: adoption, associated revenue, market validation, revenue by adoption (migrations 0008 and 0010). */
export interface AdoptionDataVersionTable extends Tenant {
  version: string;
}

export interface ExperimentTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  feature_id: string | null;
  name: string;
  status: 'draft' | 'running' | 'stopped';
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
}

export type Segment = 'smb' | 'mid_market' | 'enterprise';

export interface CompanyTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  segment: ColumnType<Segment, Segment | undefined, Segment>;
  owner: string | null;
}

export interface CompanyIdentityTable extends Tenant {
  vendor: string;
  external_id: string;
  company_id: string;
  domain: string | null;
  matched_by: 'explicit' | 'domain' | 'created';
  matched_at: DefaultTimestamp;
}

export interface DealTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  company_id: string;
  name: string;
  stage: string;
  amount: Decimal;
  currency: ColumnType<string, string | undefined, string>;
  close_date: DateOnly | null;
  is_closed: ColumnType<boolean, boolean | undefined, boolean>;
  is_won: ColumnType<boolean, boolean | undefined, boolean>;
}

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'incomplete' | 'paused';

export interface SubscriptionTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  company_id: string | null;
  status: SubscriptionStatus;
  plan: string | null;
  amount: Decimal;
  currency: ColumnType<string, string | undefined, string>;
  billing_interval: 'month' | 'year';
  started_at: Timestamp;
  current_period_end: Timestamp | null;
  canceled_at: Timestamp | null;
}

export interface InvoiceTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  company_id: string | null;
  subscription_id: string | null;
  number: string | null;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  amount_due: Decimal;
  amount_paid: Decimal;
  currency: ColumnType<string, string | undefined, string>;
  issued_at: Timestamp;
  paid_at: Timestamp | null;
}

export type CostCategory = 'engineering' | 'design' | 'infrastructure' | 'research' | 'other';

export interface CostEntryTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  feature_id: string | null;
  category: CostCategory;
  amount: Decimal;
  currency: ColumnType<string, string | undefined, string>;
  incurred_on: DateOnly;
  description: string | null;
}

export interface BudgetTable extends Tenant, Timestamps {
  id: string;
  team: string;
  period_start: DateOnly;
  period_end: DateOnly;
  amount: Decimal;
  currency: ColumnType<string, string | undefined, string>;
}

export interface HealthScoreTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  company_id: string;
  score: Decimal;
  previous_score: Decimal | null;
  measured_at: Timestamp;
}

export type FeedbackKind = 'nps' | 'csat' | 'comment';

export interface FeedbackTable extends Tenant, SourceColumns, Timestamps {
  id: string;
  feature_id: string | null;
  company_id: string | null;
  end_user_id: string | null;
  kind: FeedbackKind;
  score: number | null;
  body: string | null;
  received_at: Timestamp;
}

export type ConnectionStatus = 'active' | 'paused' | 'needs_reauth' | 'error' | 'disconnected';
export type Domain = 'product' | 'engineering' | 'analytics' | 'sales' | 'finance' | 'customer_success';

export interface ConnectionTable extends Tenant, Timestamps {
  id: string;
  vendor: string;
  domain: Domain;
  name: string;
  status: ConnectionStatus;
  base_url: string | null;
  config: ColumnType<unknown, string | undefined, string>;
  credentials: Buffer | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
  records_synced: ColumnType<string, string | number | undefined, string | number>;
  next_run_at: Timestamp | null;
}

export interface SyncCursorTable extends Tenant {
  connection_id: string;
  stream: string;
  cursor: Json | null;
  updated_at: DefaultTimestamp;
}

export interface SyncRunTable extends Tenant {
  id: string;
  connection_id: string;
  stream: string;
  kind: ColumnType<'full' | 'incremental' | 'reconcile', 'full' | 'incremental' | 'reconcile' | undefined>;
  status: 'running' | 'succeeded' | 'failed';
  started_at: Timestamp;
  finished_at: Timestamp | null;
  records_read: ColumnType<number, number | undefined, number>;
  records_written: ColumnType<number, number | undefined, number>;
  record_errors: ColumnType<number, number | undefined, number>;
  records_deleted: ColumnType<number, number | undefined, number>;
  error: string | null;
}

export interface RecordErrorTable extends Tenant {
  id: string;
  connection_id: string;
  run_id: string | null;
  stream: string;
  external_id: string | null;
  reason: string;
  payload: Json | null;
  created_at: DefaultTimestamp;
}

export interface WebhookReceiptTable extends Tenant {
  connection_id: string;
  delivery_id: string;
  event_type: string;
  received_at: DefaultTimestamp;
  processed_at: Timestamp | null;
  payload: ColumnType<unknown, string, string>;
  status: ColumnType<WebhookReceiptStatus, WebhookReceiptStatus | undefined, WebhookReceiptStatus>;
  attempts: Generated<number>;
  error: string | null;
}

export type WebhookReceiptStatus = 'pending' | 'processed' | 'ignored' | 'skipped' | 'failed';

export interface OutboxTable extends Tenant {
  seq: Generated<BigIntString>;
  event_type: string;
  entity_type: string;
  entity_id: string;
  payload: ColumnType<unknown, string | undefined, string>;
  created_at: DefaultTimestamp;
  /** The writing transaction (xid8, as text): readers stop below the oldest one still running. */
  xid: Generated<string>;
  /** Place in the subscribers' stream, stamped when published; null until then. */
  pos: ColumnType<BigIntString | null, never, BigIntString>;
}

export interface Database {
  'product.releases': ReleaseTable;
  'product.features': FeatureTable;
  'product.feature_requests': FeatureRequestTable;
  'engineering.repositories': RepositoryTable;
  'engineering.deployments': DeploymentTable;
  'engineering.pull_requests': PullRequestTable;
  'analytics.end_users': EndUserTable;
  'analytics.usage_events': UsageEventTable;
  'analytics.usage_event_archives': UsageEventArchiveTable;
  'analytics.feature_usage_daily': FeatureUsageDailyTable;
  'analytics.user_activity_daily': UserActivityDailyTable;
  'analytics.user_activity_gaps': UserActivityGapTable;
  'analytics.feature_usage_gaps': FeatureUsageGapTable;
  'analytics.adoption_data_versions': AdoptionDataVersionTable;
  'analytics.experiments': ExperimentTable;
  'sales.companies': CompanyTable;
  'sales.company_identities': CompanyIdentityTable;
  'sales.deals': DealTable;
  'finance.subscriptions': SubscriptionTable;
  'finance.invoices': InvoiceTable;
  'finance.cost_entries': CostEntryTable;
  'finance.budgets': BudgetTable;
  'customer_success.health_scores': HealthScoreTable;
  'customer_success.feedback': FeedbackTable;
  'integrations.connections': ConnectionTable;
  'integrations.sync_cursors': SyncCursorTable;
  'integrations.sync_runs': SyncRunTable;
  'integrations.record_errors': RecordErrorTable;
  'integrations.webhook_receipts': WebhookReceiptTable;
  'integrations.outbox': OutboxTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
