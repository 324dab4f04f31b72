import { copyRows } from './copy.js';
import { cents, salesforceId } from './random.js';
import { DAY, SOURCE_COLUMNS, daysAgo, type SeedContext } from './context.js';

const FIRST = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Cyberdyne', 'Tyrell', 'Soylent', 'Vandelay', 'Massive', 'Pied', 'Aperture', 'Black Mesa', 'Oscorp', 'Gringotts', 'Monarch', 'Nakatomi'];
const SECOND = ['Analytics', 'Logistics', 'Health', 'Robotics', 'Foods', 'Media', 'Capital', 'Energy', 'Labs', 'Systems'];
const INDUSTRIES = ['software', 'retail', 'healthcare', 'finance', 'manufacturing', 'media', 'education'];
const STAGES = { Prospecting: 12, Qualification: 12, Proposal: 10, Negotiation: 8, 'Closed Won': 35, 'Closed Lost': 23 };

/**
 * Companies from Salesforce or HubSpot, their identities in every other tool (explicit
 * mappings or the same web domain), and deals: some companies have none, a few deals are 0.
 */
/** The Stripe customer of a company: finance's subscriptions and invoices point at it. */
export function stripeCustomerId(companyId: string): string {
  return `cus_${companyId.replace(/-/g, '').slice(0, 14)}`;
}

export async function seedSales(ctx: SeedContext): Promise<number> {
  const random = ctx.random('sales');
  const companyRows = [];
  const identityRows = [];
  const crmOf: ('salesforce' | 'hubspot')[] = [];
  for (let i = 0; i < ctx.volumes.companies; i++) {
    const id = ctx.id('company', i);
    const name = `${FIRST[i % FIRST.length]} ${SECOND[Math.floor(i / FIRST.length) % SECOND.length]}${i >= FIRST.length * SECOND.length ? ` ${Math.floor(i / (FIRST.length * SECOND.length)) + 1}` : ''}`;
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`;
    const employees = Math.round(10 * Math.pow(10, random.next() * 3.5));
    const segment = employees >= 1000 ? 'enterprise' : employees >= 100 ? 'mid_market' : 'smb';
    const crm = random.chance(0.6) ? 'salesforce' : 'hubspot';
    crmOf.push(crm);
    ctx.companies.push({ id, domain });
    const externalId = crm === 'salesforce' ? salesforceId('001', i) : String(5_000_000_000 + i * 7);
    const url = crm === 'salesforce'
      ? `https://${ctx.tenant}.lightning.force.com/lightning/r/Account/${externalId}/view`
      : `https://app.hubspot.com/contacts/${ctx.tenant.length * 1000 + 4242}/company/${externalId}`;
    const updatedAt = daysAgo(ctx, random.int(0, 60));
    companyRows.push([ctx.tenant, id, name, domain, random.pick(INDUSTRIES), employees, segment, random.pick(['dana', 'lee', 'sam', 'alex']),
      daysAgo(ctx, random.int(200, 900)), updatedAt, crm, externalId, url, ctx.anchor, updatedAt,
      crm === 'salesforce' ? { attributes: { type: 'Account' }, Id: externalId, Name: name, Website: domain } : { id: externalId, properties: { name, domain } }]);
    identityRows.push([ctx.tenant, crm, externalId, id, domain, 'created']);
    identityRows.push([ctx.tenant, 'stripe', stripeCustomerId(id), id, domain, random.chance(0.7) ? 'explicit' : 'domain']);
    identityRows.push([ctx.tenant, 'gainsight', `1I00${id.replace(/-/g, '').slice(0, 16).toUpperCase()}`, id, domain, 'explicit']);
    identityRows.push([ctx.tenant, 'amplitude', domain, id, domain, 'domain']);
  }
  let total = await copyRows(ctx.url, 'sales.companies', ['tenant_id', 'id', 'name', 'domain', 'industry', 'employees', 'segment', 'owner', 'created_at', 'updated_at', ...SOURCE_COLUMNS], companyRows);
  total += await copyRows(ctx.url, 'sales.company_identities', ['tenant_id', 'vendor', 'external_id', 'company_id', 'domain', 'matched_by'], identityRows);

  // Every tenth company never had a deal.
  const withDeals = ctx.companies.map((_, i) => i).filter((i) => i % 10 !== 7);
  const dealRows = [];
  for (let i = 0; i < ctx.volumes.deals; i++) {
    const c = withDeals[random.skewed(withDeals.length, 1.6)];
    const stage = random.weighted(STAGES);
    const closed = stage.startsWith('Closed');
    const amount = random.chance(0.03) ? 0 : Math.round(100_000 * Math.pow(10, random.next() * 2.4));
    const closeDate = new Date(ctx.today + (closed ? -random.int(1, 540) : random.int(5, 120)) * DAY).toISOString().slice(0, 10);
    const crm = crmOf[c];
    const externalId = crm === 'salesforce' ? salesforceId('006', i) : String(20_000_000_000 + i * 7);
    const updatedAt = daysAgo(ctx, random.int(0, 120));
    dealRows.push([ctx.tenant, ctx.id('deal', i), ctx.companies[c].id, `${FIRST[c % FIRST.length]} — ${random.pick(['Expansion', 'Renewal', 'New business', 'Upsell'])} ${i}`,
      stage, cents(amount), 'USD', closeDate, closed, stage === 'Closed Won', daysAgo(ctx, random.int(120, 700)), updatedAt,
      crm, externalId, crm === 'salesforce' ? `https://${ctx.tenant}.lightning.force.com/lightning/r/Opportunity/${externalId}/view` : `https://app.hubspot.com/contacts/${ctx.tenant.length * 1000 + 4242}/deal/${externalId}`,
      ctx.anchor, updatedAt, crm === 'salesforce' ? { Id: externalId, StageName: stage, Amount: amount / 100, CloseDate: closeDate } : { id: externalId, properties: { dealstage: stage, amount: cents(amount), closedate: closeDate } }]);
  }
  total += await copyRows(ctx.url, 'sales.deals', ['tenant_id', 'id', 'company_id', 'name', 'stage', 'amount', 'currency', 'close_date', 'is_closed', 'is_won', 'created_at', 'updated_at', ...SOURCE_COLUMNS], dealRows);
  return total;
}
