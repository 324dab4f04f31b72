/** Every table with tenant rows, children before parents: the order resetTenants deletes in. */
export const TENANT_TABLES = [
  'integrations.record_errors', 'integrations.sync_runs', 'integrations.sync_cursors', 'analytics.usage_event_archives', 'integrations.webhook_receipts', 'integrations.outbox', 'integrations.connections',
  'customer_success.feedback', 'customer_success.health_scores',
  'finance.cost_entries', 'finance.invoices', 'finance.subscriptions', 'finance.budgets',
  'analytics.feature_usage_daily', 'analytics.feature_usage_gaps', 'analytics.user_activity_daily', 'analytics.user_activity_gaps', 'analytics.usage_events', 'analytics.experiments', 'analytics.end_users',
  'sales.deals', 'sales.company_identities', 'sales.companies',
  'engineering.pull_requests', 'engineering.deployments', 'engineering.repositories',
  'product.feature_requests', 'product.features', 'product.releases',
] as const;

/** The tables of vendor-backed rows: what each connection has synced. */
export const VENDOR_TABLES = [
  'product.releases', 'product.features', 'engineering.repositories', 'engineering.deployments', 'engineering.pull_requests',
  'analytics.end_users', 'analytics.usage_events', 'analytics.experiments', 'sales.companies', 'sales.deals',
  'finance.subscriptions', 'finance.invoices', 'customer_success.health_scores', 'customer_success.feedback',
] as const;
