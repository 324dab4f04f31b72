import { fromCents } from '../core/decimal.js';
import type { Cell } from './copy.js';
import { DAY, HOUR, atMost, daysAgo, isoDay, sourceCells, SOURCE_COLUMNS, type SeedContext } from './context.js';
import { stripeCustomerId, stripeId } from './vendor-ids.js';

const PLANS = { Team: [4_900, 49_900], Business: [50_000, 250_000], Enterprise: [250_000, 1_500_000] } as const;
const SUBSCRIPTION_STATUS = { active: 70, trialing: 5, past_due: 6, canceled: 14, unpaid: 1, incomplete: 1, paused: 3 };

/**
 * Stripe subscriptions (most companies have one, some two) with their monthly or yearly
 * invoices since they started; a cost ledger over the features; quarterly team budgets.
 */
export async function seedFinance(ctx: SeedContext): Promise<number> {
  const random = ctx.random('finance');
  const invoices: Cell[][] = [];
  let inv = 0;
  function* subscriptions() {
    let s = 0;
    for (const company of ctx.companies) {
      if (!random.chance(0.85)) continue;
      const customer = stripeCustomerId(ctx.tenant, company.id);
      for (let k = 0, count = random.chance(0.35) ? 2 : 1; k < count; k++, s++) {
        const id = ctx.id('subscription', s);
        const externalId = stripeId('sub', ctx.tenant, id);
        const status = random.weighted(SUBSCRIPTION_STATUS);
        const plan = random.weighted({ Team: 5, Business: 3, Enterprise: 1 });
        const interval = random.chance(0.7) ? 'month' : 'year';
        const [low, high] = PLANS[plan];
        const monthlyCents = random.int(low / 100, high / 100) * 100;
        const periodCents = interval === 'year' ? monthlyCents * 10 : monthlyCents;
        const periodDays = interval === 'year' ? 365 : 30;
        const startedAt = daysAgo(ctx, status === 'trialing' ? random.int(1, 13) : random.int(20, 720));
        const elapsed = Math.floor((ctx.today - startedAt.getTime()) / (periodDays * DAY));
        const periodStart = startedAt.getTime() + elapsed * periodDays * DAY;
        const canceledAt = status === 'canceled' ? daysAgo(ctx, random.int(1, Math.max(1, Math.min(25, (ctx.today - startedAt.getTime()) / DAY - 1)))) : null;
        const updatedAt = canceledAt ?? new Date(periodStart);
        const amount = fromCents(BigInt(periodCents));
        // The period that is running ends ahead of "now": a billing schedule, not an event.
        yield [ctx.tenant, id, company.id, status, plan, amount, 'USD', interval, startedAt, new Date(periodStart + periodDays * DAY), canceledAt,
          ...sourceCells(ctx, {
            vendor: 'stripe', externalId, url: `https://dashboard.stripe.com/subscriptions/${externalId}`, createdAt: startedAt, updatedAt,
            raw: { id: externalId, object: 'subscription', status, customer, collection_method: 'charge_automatically', created: Math.floor(startedAt.getTime() / 1000), items: { object: 'list', data: [{ price: { unit_amount: periodCents, currency: 'usd', nickname: plan, recurring: { interval } } }] } },
          })];
        if (status === 'trialing' || status === 'incomplete') continue;
        // Invoices for the latest few periods that began since the subscription did (none after it was canceled).
        const last = canceledAt ? Math.min(elapsed, Math.floor((canceledAt.getTime() - startedAt.getTime()) / (periodDays * DAY))) : elapsed;
        const periods = interval === 'month' ? random.int(2, 5) : random.int(1, 2);
        for (let p = last; p >= 0 && p > last - periods; p--, inv++) {
          const issuedAt = atMost(ctx, startedAt.getTime() + p * periodDays * DAY + random.int(0, 3) * HOUR);
          const latest = p === last;
          const invoiceStatus = latest && (status === 'past_due' || status === 'unpaid') ? (status === 'unpaid' ? 'uncollectible' : 'open')
            : latest && random.chance(0.08) ? 'open' : random.chance(0.02) ? 'void' : 'paid';
          const paidAt = invoiceStatus === 'paid' ? atMost(ctx, issuedAt.getTime() + random.int(0, 72) * HOUR) : null;
          const invoiceId = ctx.id('invoice', inv);
          const externalInvoice = stripeId('in', ctx.tenant, invoiceId);
          invoices.push([ctx.tenant, invoiceId, company.id, id, `${ctx.tenant.slice(0, 8).toUpperCase()}-${String(1_001 + inv).padStart(6, '0')}`, invoiceStatus, amount,
            invoiceStatus === 'paid' ? amount : '0.00', 'USD', issuedAt, paidAt,
            ...sourceCells(ctx, {
              vendor: 'stripe', externalId: externalInvoice, url: `https://dashboard.stripe.com/invoices/${externalInvoice}`, createdAt: issuedAt, updatedAt: paidAt ?? issuedAt,
              raw: { id: externalInvoice, object: 'invoice', status: invoiceStatus, customer, subscription: externalId, amount_due: periodCents, amount_paid: invoiceStatus === 'paid' ? periodCents : 0, currency: 'usd', created: Math.floor(issuedAt.getTime() / 1000) },
            })]);
        }
      }
    }
  }
  let total = await ctx.write('finance.subscriptions', ['tenant_id', 'id', 'company_id', 'status', 'plan', 'amount', 'currency', 'billing_interval', 'started_at', 'current_period_end', 'canceled_at', ...SOURCE_COLUMNS], subscriptions());
  total += await ctx.write('finance.invoices', ['tenant_id', 'id', 'company_id', 'subscription_id', 'number', 'status', 'amount_due', 'amount_paid', 'currency', 'issued_at', 'paid_at', ...SOURCE_COLUMNS], invoices);
  total += await ctx.write('finance.cost_entries', ['tenant_id', 'id', 'feature_id', 'category', 'amount', 'currency', 'incurred_on', 'description', ...SOURCE_COLUMNS], costEntries(ctx));
  total += await ctx.write('finance.budgets', ['tenant_id', 'id', 'team', 'period_start', 'period_end', 'amount', 'currency', 'created_at', 'updated_at'], budgets(ctx));
  return total;
}

/** Ledger entries booked against features (the busiest features carry most), in the year before "now". */
function* costEntries(ctx: SeedContext) {
  const random = ctx.random('cost-entries');
  const features = ctx.features.filter((f) => f.status !== 'backlog');
  for (let c = 0; c < ctx.volumes.costEntries && features.length; c++) {
    const feature = features[random.skewed(features.length, 1.3)];
    const category = random.weighted({ engineering: 6, design: 2, infrastructure: 2, research: 1, other: 1 });
    const incurred = ctx.today - random.int(1, 365) * DAY;
    const externalId = `JE-${ctx.tenant.slice(0, 8).toUpperCase()}-${String(20_000 + c)}`;
    const booked = new Date(incurred + random.int(8, 20) * HOUR);
    const cents = category === 'engineering' ? random.int(2_000, 60_000) * 100 : random.int(50_000, 1_500_000);
    yield [ctx.tenant, ctx.id('cost', c), feature.id, category, fromCents(BigInt(cents)), 'USD', isoDay(incurred), `${category} for ${feature.key}`,
      ...sourceCells(ctx, { vendor: 'ledger', externalId, url: null, createdAt: booked, updatedAt: booked, raw: { entry: externalId, account: category, memo: feature.key, amount_cents: cents } })];
  }
}

/** A budget per team and quarter of the anchor's year. */
function* budgets(ctx: SeedContext) {
  const random = ctx.random('budgets');
  const year = new Date(ctx.today).getUTCFullYear();
  const teams = [...new Set(ctx.features.map((f) => f.team))].sort();
  const createdAt = new Date(Date.UTC(year - 1, 11, 1));
  for (const [t, team] of teams.entries()) {
    for (let q = 0; q < 4; q++) {
      yield [ctx.tenant, ctx.id('budget', `${t}-${q}`), team, isoDay(Date.UTC(year, q * 3, 1)), isoDay(Date.UTC(year, q * 3 + 3, 0)),
        fromCents(BigInt(random.int(50, 400) * 100_000)), 'USD', createdAt, createdAt];
    }
  }
}
