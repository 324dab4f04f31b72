import { computed, integer, MappingError, text, type Field, type MapContext, type TableMapping } from '../../../../sync/mapping.js';

export const VENDOR = 'amplitude';
/** The event property naming the feature an event is about, unless the connection names another (`config.featureProperty`). */
export const DEFAULT_FEATURE_PROPERTY = 'feature_key';
/** The group type of account-level analytics: its value is the customer's web domain. */
export const COMPANY_GROUP = 'company';

type AmplitudeEvent = Record<string, any>;

const EXPORT_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Export timestamps are UTC without a zone ('2026-10-05 12:34:56.789000'): read as UTC, never as
 * the machine's local time (which `new Date()` would do with the space form).
 */
export function parseExportTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = EXPORT_TIME.exec(value);
  if (!m) return null;
  const zone = !m[4] || m[4] === 'Z' ? 'Z' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  const date = new Date(`${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function exportTime(field: string, options: { optional?: boolean } = {}): Field<Date | null> {
  return computed((e: AmplitudeEvent) => {
    const value = e[field];
    if (value === undefined || value === null || value === '') {
      if (options.optional) return null;
      throw new MappingError(field, 'missing');
    }
    const date = parseExportTime(value);
    if (!date) throw new MappingError(field, `expected a date-time, got ${JSON.stringify(value).slice(0, 60)}`);
    return date;
  });
}

/** `$insert_id` is the event's dedupe key; an event sent without one still has Amplitude's own `uuid`. */
const insertId = computed((e: AmplitudeEvent) => {
  const id = e.$insert_id ?? e.uuid;
  if (typeof id !== 'string' || !id) throw new MappingError('$insert_id', 'missing (and no uuid)');
  return id;
});

const userId = computed((e: AmplitudeEvent) => {
  const id = e.user_id;
  if (typeof id === 'string' && id) return id;
  if (typeof id === 'number') return String(id);
  throw new MappingError('user_id', 'missing: an anonymous event (device only) has no end user to count it for');
});

/** The user's page in Amplitude; needs the organisation's URL name (`config.org`), which events do not carry. */
function userUrl(e: AmplitudeEvent, ctx: MapContext): string | null {
  const org = ctx.config.org;
  if (typeof org !== 'string' || !org || e.app === undefined || e.amplitude_id === undefined) return null;
  return `https://app.amplitude.com/analytics/${encodeURIComponent(org)}/project/${e.app}/search/amplitude_id%3D${e.amplitude_id}`;
}

/**
 * A raw event -> analytics.usage_events (append-only, deduped by its primary key). `feature_id`
 * holds the feature's key until the page's features are looked up by key (features live in other
 * vendors' records, so no vendor-id reference can find them). Events have no page of their own:
 * `url` carries their user's page, for the end user the page upserts. The payload is not stored
 * (see the events stream).
 */
export const eventMapping: TableMapping = {
  table: 'analytics.usage_events',
  write: 'append',
  externalId: insertId,
  url: computed(userUrl),
  // `occurred_at` says why an unreadable time rejects the event; once is enough.
  updatedAt: computed((e: AmplitudeEvent) => parseExportTime(e.event_time)),
  columns: {
    occurred_at: exportTime('event_time'),
    insert_id: insertId,
    event_type: text('event_type', { maxLength: 1_024 }),
    feature_id: computed((e: AmplitudeEvent, ctx) => {
      const property = typeof ctx.config.featureProperty === 'string' ? ctx.config.featureProperty : DEFAULT_FEATURE_PROPERTY;
      const key = e.event_properties?.[property];
      return typeof key === 'string' && key ? key : null;
    }),
  },
  refs: { end_user_id: { from: userId, table: 'analytics.end_users', required: true } },
};

/** An end user as the newest of a page's events describes them (Amplitude has no user listing). */
export interface SeenUser {
  user_id: string;
  amplitude_id: unknown;
  user_properties: Record<string, unknown>;
  groups: Record<string, unknown>;
  user_creation_time: unknown;
  /** The event this state comes from: the newest state wins. */
  event_time: Date;
  url: string | null;
}

/** The account group's name: a string, or the first of a list (an event may belong to several). */
export function companyGroup(groups: Record<string, unknown> | undefined): string | null {
  const value = groups?.[COMPANY_GROUP];
  const name = Array.isArray(value) ? value[0] : value;
  return typeof name === 'string' && name ? name : null;
}

export const endUserMapping: TableMapping = {
  table: 'analytics.end_users',
  externalId: text('user_id') as Field<string>,
  url: computed((u: SeenUser) => u.url),
  updatedAt: computed((u: SeenUser) => u.event_time),
  createdAt: exportTime('user_creation_time', { optional: true }),
  columns: {
    email: text('user_properties.email', { optional: true, maxLength: 320 }),
  },
  refs: {
    company_id: { from: computed((u: SeenUser) => companyGroup(u.groups)), table: 'sales.companies', via: 'company' },
  },
};

const amplitudeId = integer('amplitude_id', { min: 0, optional: true });
const deletedUserId = text('user_id', { optional: true });

/**
 * One user of a finished deletion job (User Privacy API), named by Amplitude id or by user id:
 * the end user that goes. Stored by the deletion stream itself, so the columns only carry the ids.
 */
export const deletionMapping: TableMapping = {
  table: 'analytics.end_users',
  externalId: computed((entry, ctx) => {
    const id = amplitudeId.read(entry, ctx) ?? deletedUserId.read(entry, ctx);
    if (id === null) throw new MappingError('amplitude_id', 'missing, and no user_id either');
    return String(id);
  }),
  columns: { amplitude_id: amplitudeId, user_id: deletedUserId },
};
