import { copyRows } from './copy.js';
import { cents } from './random.js';
import { DAY, SOURCE_COLUMNS, daysAgo, type SeedContext } from './context.js';
import { stripeCustomerId } from './sales.js';

/** Stripe subscriptions and invoices of about seven in ten companies, and a cost ledger per feature. */
export async function seedFinance(ctx: SeedContext): Promise<number> {
  const random = ctx.random('finance');
  const subscriptionRows = [];
  const invoiceRows = [];
  let s = 0;
  let inv = 0;
  for (const company of ctx.companies) {
    if (!random.chance(0.7)) continue;
    const subscriptions = random.chance(0.15) ? 2 : 1;
    for (let k = 0; k < subscriptions; k++, s++) {
      const id = ctx.id('subscription', s);
      const status = random.weighted({ active: 72, trialing: 5, past_due: 5, canceled: 15, unpaid: 1, paused: 2 });
      const interval = random.chance(0.7) ? 'month' : 'year';
      const monthly = random.int(49, 4_999) * 100;
      const amount = interval === 'year' ? monthly * 10 : monthly;
      const startedAt = daysAgo(ctx, random.int(30, 720));
      const externalId = `sub_${id.replace(/-/g, '').slice(0, 24)}`;
      subscriptionRows.push([ctx.tenant, id, company.id, status, random.pick(['Team', 'Business', 'Enterprise']), cents(amount), 'USD', interval, startedAt,
        new Date(ctx.today + random.int(1, 30) * DAY), status === 'canceled' ? daysAgo(ctx, random.int(1, 25)) : null,
        'stripe', externalId, `https://dashboard.stripe.com/subscriptions/${externalId}`, ctx.anchor, daysAgo(ctx, random.int(0, 25)),
        { id: externalId, object: 'subscription', status, customer: stripeCustomerId(company.id), items: { data: [{ price: { unit_amount: amount, currency: 'usd', recurring: { interval } } }] } }]);
      for (let m = 0, months = random.int(1, 4); m < months; m++, inv++) {
        const invoiceId = ctx.id('invoice', inv);
        const issuedAt = daysAgo(ctx, m * 30 + random.int(0, 5));
        const paid = m > 0 || random.chance(0.8);
        const externalInvoice = `in_${invoiceId.replace(/-/g, '').slice(0, 24)}`;
        invoiceRows.push([ctx.tenant, invoiceId, company.id, id, `INV-${ctx.tenant.toUpperCase()}-${10_000 + inv}`, paid ? 'paid' : 'open', cents(amount), paid ? cents(amount) : '0.00', 'USD',
          issuedAt, paid ? new Date(Math.min(ctx.anchor.getTime(), issuedAt.getTime() + 2 * DAY)) : null,
          'stripe', externalInvoice, `https://dashboard.stripe.com/invoices/${externalInvoice}`, ctx.anchor, issuedAt, { id: externalInvoice, object: 'invoice', status: paid ? 'paid' : 'open', amount_due: amount }]);
      }
    }
  }
  let total = await copyRows(ctx.url, 'finance.subscriptions', ['tenant_id', 'id', 'company_id', 'status', 'plan', 'amount', 'currency', 'billing_interval', 'started_at', 'current_period_end', 'canceled_at', ...SOURCE_COLUMNS], subscriptionRows);
  total += await copyRows(ctx.url, 'finance.invoices', ['tenant_id', 'id', 'company_id', 'subscription_id', 'number', 'status', 'amount_due', 'amount_paid', 'currency', 'issued_at', 'paid_at', ...SOURCE_COLUMNS], invoiceRows);

  const costRows = [];
  let c = 0;
  for (const feature of ctx.features) {
    for (let k = 0, entries = random.int(0, 3); k < entries; k++, c++) {
      const category = random.weighted({ engineering: 6, design: 2, infrastructure: 2, research: 1, other: 1 });
      const incurredOn = new Date(ctx.today - random.int(1, 300) * DAY).toISOString().slice(0, 10);
      const externalId = `je-${20_000 + c}`;
      costRows.push([ctx.tenant, ctx.id('cost', c), feature.id, category, cents(random.int(500, 60_000) * 100), 'USD', incurredOn, `${category} for ${feature.key}`,
        'ledger', externalId, null, ctx.anchor, new Date(`${incurredOn}T12:00:00Z`), { entry: externalId, account: category, memo: feature.key }]);
    }
  }
  total += await copyRows(ctx.url, 'finance.cost_entries', ['tenant_id', 'id', 'feature_id', 'category', 'amount', 'currency', 'incurred_on', 'description', ...SOURCE_COLUMNS], costRows);

  const budgetRows = [];
  const teams = [...new Set(ctx.features.map((f) => f.team))].sort();
  for (const [t, team] of teams.entries()) {
    for (let q = 0; q < 4; q++) {
      const start = new Date(Date.UTC(new Date(ctx.today).getUTCFullYear(), q * 3, 1));
      const end = new Date(Date.UTC(new Date(ctx.today).getUTCFullYear(), q * 3 + 3, 0));
      budgetRows.push([ctx.tenant, ctx.id('budget', `${t}-${q}`), team, start.toISOString().slice(0, 10), end.toISOString().slice(0, 10), cents(random.int(50, 400) * 100_000), 'USD']);
    }
  }
  total += await copyRows(ctx.url, 'finance.budgets', ['tenant_id', 'id', 'team', 'period_start', 'period_end', 'amount', 'currency'], budgetRows);
  return total;
}
