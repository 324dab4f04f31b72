import { fromCents } from '../core/decimal.js';
import { DAY, atMost, daysAgo, isoDay, sourceCells, SOURCE_COLUMNS, type SeedCompany, type SeedContext, type Source } from './context.js';
import type { Cell } from './copy.js';
import { gainsightId, hubspotPortal, salesforceId, stripeCustomerId } from './vendor-ids.js';

const FIRST = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Cyberdyne', 'Tyrell', 'Soylent', 'Vandelay', 'Massive', 'Pied', 'Aperture', 'Black Mesa', 'Oscorp', 'Gringotts', 'Monarch', 'Nakatomi'];
const SECOND = ['Analytics', 'Logistics', 'Health', 'Robotics', 'Foods', 'Media', 'Capital', 'Energy', 'Labs', 'Systems'];
const INDUSTRIES = ['software', 'retail', 'healthcare', 'finance', 'manufacturing', 'media', 'education'];
export const OWNERS = ['dana', 'lee', 'sam', 'alex', 'robin'];
/** Each CRM's stage names (as the CRM shows them) with how often a deal sits in them, and the HubSpot stage id. */
const SALESFORCE_STAGES: Record<string, number> = { Prospecting: 12, Qualification: 12, 'Proposal/Price Quote': 10, 'Negotiation/Review': 8, 'Closed Won': 35, 'Closed Lost': 23 };
const HUBSPOT_STAGES: Record<string, number> = { 'Appointment Scheduled': 12, 'Qualified To Buy': 12, 'Presentation Scheduled': 10, 'Contract Sent': 8, 'Closed Won': 35, 'Closed Lost': 23 };
const HUBSPOT_STAGE_IDS: Record<string, string> = { 'Appointment Scheduled': 'appointmentscheduled', 'Qualified To Buy': 'qualifiedtobuy', 'Presentation Scheduled': 'presentationscheduled', 'Contract Sent': 'contractsent', 'Closed Won': 'closedwon', 'Closed Lost': 'closedlost' };
/** Each owner's user id in each CRM (a Salesforce User id checksums like an Account id: digits carry no case bits). */
export const salesforceUserId = (owner: string) => `005${salesforceId('001', 900_000 + OWNERS.indexOf(owner)).slice(3)}`;
export const hubspotOwnerId = (owner: string) => String(61_000_000 + OWNERS.indexOf(owner) * 13);

/**
 * Companies from Salesforce or HubSpot with unique web domains, their records in every other
 * tool (an explicit mapping or the same domain), and deals: some companies have none, a few deals are 0.
 */
export async function seedSales(ctx: SeedContext): Promise<number> {
  const random = ctx.random('sales');
  const identities: Cell[][] = [];
  /** Each company's record in the CRM that made it: its deals name it. */
  const crmIds = new Map<string, string>();
  function* companies() {
    for (let i = 0; i < ctx.volumes.companies; i++) {
      const id = ctx.id('company', i);
      const round = Math.floor(i / (FIRST.length * SECOND.length));
      const name = `${FIRST[i % FIRST.length]} ${SECOND[Math.floor(i / FIRST.length) % SECOND.length]}${round ? ` ${round + 1}` : ''}`;
      const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`;
      const employees = Math.round(10 * Math.pow(10, random.next() * 3.5));
      const segment = employees >= 1000 ? 'enterprise' : employees >= 100 ? 'mid_market' : 'smb';
      const crm = random.chance(0.6) ? 'salesforce' : 'hubspot';
      const industry = random.pick(INDUSTRIES);
      const company: SeedCompany = { id, name, domain, crm };
      ctx.companies.push(company);
      const createdAt = daysAgo(ctx, random.int(200, 900));
      const updatedAt = daysAgo(ctx, random.int(0, 60) + random.next());
      const source = crmRecord(ctx, company, i, 'company', createdAt, updatedAt, { Name: name, Website: domain, Industry: industry, NumberOfEmployees: employees }, { name, domain, industry: industry.toUpperCase(), numberofemployees: String(employees) });
      const matchedAt = createdAt;
      crmIds.set(id, source.externalId);
      identities.push([ctx.tenant, crm, source.externalId, id, domain, 'created', matchedAt]);
      // One in ten is also in the other CRM (a marketing import), joined by its domain.
      if (random.chance(0.1)) {
        const other = crm === 'salesforce' ? String(9_500_000_000 + i * 7) : salesforceId('001', 500_000 + i);
        identities.push([ctx.tenant, crm === 'salesforce' ? 'hubspot' : 'salesforce', other, id, domain, 'domain', updatedAt]);
      }
      identities.push([ctx.tenant, 'stripe', stripeCustomerId(ctx.tenant, id), id, domain, random.chance(0.7) ? 'explicit' : 'domain', matchedAt]);
      identities.push([ctx.tenant, 'gainsight', gainsightId('1P02', ctx.tenant, id), id, domain, 'explicit', matchedAt]);
      identities.push([ctx.tenant, 'amplitude', domain, id, domain, 'domain', matchedAt]);
      const owner = random.pick(OWNERS);
      withOwner(source, owner);
      yield [ctx.tenant, id, name, domain, industry, employees, segment, owner, ...sourceCells(ctx, source)];
    }
  }
  let total = await ctx.write('sales.companies', ['tenant_id', 'id', 'name', 'domain', 'industry', 'employees', 'segment', 'owner', ...SOURCE_COLUMNS], companies());
  total += await ctx.write('sales.company_identities', ['tenant_id', 'vendor', 'external_id', 'company_id', 'domain', 'matched_by', 'matched_at'], identities);

  // Every tenth company never had a deal; bigger accounts (lower index, skewed) have more.
  const withDeals = ctx.companies.filter((_, i) => i % 10 !== 7);
  function* deals() {
    for (let i = 0; i < ctx.volumes.deals; i++) {
      const company = withDeals[random.skewed(withDeals.length, 1.6)];
      const stage = random.weighted(company.crm === 'salesforce' ? SALESFORCE_STAGES : HUBSPOT_STAGES);
      const closed = stage.startsWith('Closed');
      const cents = random.chance(0.03) ? 0 : Math.round(50_000 * Math.pow(10, random.next() * 2.6));
      const amount = fromCents(BigInt(cents));
      let createdAt: Date;
      let closeDay: number;
      if (closed) {
        createdAt = daysAgo(ctx, random.int(20, 700) + random.next());
        closeDay = Math.min(ctx.today - DAY, createdAt.getTime() + random.int(14, 180) * DAY);
      } else {
        createdAt = daysAgo(ctx, random.int(1, 200) + random.next());
        closeDay = ctx.today + random.int(5, 120) * DAY; // the expected close: a plan
      }
      const closeDate = isoDay(closeDay);
      const updatedAt = closed ? atMost(ctx, closeDay + random.int(0, 23) * 3_600_000) : daysAgo(ctx, random.next() * Math.min(30, (ctx.today - createdAt.getTime()) / DAY));
      const name = `${company.name} — ${random.pick(['Expansion', 'Renewal', 'New business', 'Upsell'])}`;
      yield [ctx.tenant, ctx.id('deal', i), company.id, name, stage, amount, 'USD', closeDate, closed, stage === 'Closed Won',
        ...sourceCells(ctx, withAccount(crmRecord(ctx, company, i, 'deal', createdAt, updatedAt,
          { Name: name, StageName: stage, Amount: Number(amount), CloseDate: closeDate, IsClosed: closed, IsWon: stage === 'Closed Won' },
          { dealname: name, dealstage: HUBSPOT_STAGE_IDS[stage], amount, closedate: `${closeDate}T00:00:00Z`, pipeline: 'default', hs_is_closed: String(closed), hs_is_closed_won: String(stage === 'Closed Won') }),
          crmIds.get(company.id)!))];
    }
  }
  total += await ctx.write('sales.deals', ['tenant_id', 'id', 'company_id', 'name', 'stage', 'amount', 'currency', 'close_date', 'is_closed', 'is_won', ...SOURCE_COLUMNS], deals());
  return total;
}

/** The account owner on a company's CRM record: Salesforce's Owner relationship, HubSpot's owner id. */
function withOwner(source: Source, owner: string): void {
  const raw = source.raw as Record<string, any>;
  if (source.vendor === 'salesforce') {
    const ownerId = salesforceUserId(owner);
    Object.assign(raw, { OwnerId: ownerId, Owner: { attributes: { type: 'User', url: `/services/data/v60.0/sobjects/User/${ownerId}` }, Name: owner } });
  } else {
    raw.properties.hubspot_owner_id = hubspotOwnerId(owner);
  }
}

/** A deal names its account: Salesforce's AccountId, HubSpot's association to the company. */
function withAccount(source: Source, accountId: string): Source {
  const raw = source.raw as Record<string, any>;
  if (source.vendor === 'salesforce') raw.AccountId = accountId;
  else raw.associations = { companies: { results: [{ id: accountId, type: 'deal_to_company' }] } };
  return source;
}

/** The CRM record behind a company or deal: a Salesforce Account/Opportunity or a HubSpot company/deal. */
function crmRecord(ctx: SeedContext, company: SeedCompany, n: number, kind: 'company' | 'deal', createdAt: Date, updatedAt: Date,
  salesforceFields: Record<string, unknown>, hubspotProperties: Record<string, unknown>): Source {
  if (company.crm === 'salesforce') {
    const object = kind === 'company' ? 'Account' : 'Opportunity';
    const externalId = salesforceId(kind === 'company' ? '001' : '006', n);
    return {
      vendor: 'salesforce', externalId, url: `https://${ctx.tenant}.lightning.force.com/lightning/r/${object}/${externalId}/view`, createdAt, updatedAt,
      raw: { attributes: { type: object, url: `/services/data/v60.0/sobjects/${object}/${externalId}` }, Id: externalId, ...salesforceFields, CreatedDate: createdAt.toISOString(), LastModifiedDate: updatedAt.toISOString(), SystemModstamp: updatedAt.toISOString() },
    };
  }
  const portal = hubspotPortal(ctx.tenant);
  const externalId = String((kind === 'company' ? 9_000_000_000 : 14_000_000_000) + n * 7);
  return {
    vendor: 'hubspot', externalId, url: `https://app.hubspot.com/contacts/${portal}/${kind === 'company' ? 'company' : 'deal'}/${externalId}`, createdAt, updatedAt,
    raw: {
      id: externalId, properties: { ...hubspotProperties, createdate: createdAt.toISOString(), hs_lastmodifieddate: updatedAt.toISOString(), hs_object_id: externalId },
      createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString(), archived: false,
    },
  };
}
