export const HOUR_MS = 3_600_000;

/** Export timestamps: UTC, microseconds, no zone: '2026-10-05 12:34:56.789000'. */
export function exportTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** A user as their events describe them from some moment on: a change of properties is a new state. */
export interface UserState {
  userId: string;
  amplitudeId: number;
  deviceId: string;
  createdAt: number;
  properties: Record<string, unknown>;
  groups: Record<string, unknown>;
  /** `properties`, `groups` and `createdAt` as exported, rendered once for all the state's events. */
  propertiesJson: string;
  groupsJson: string;
  createdAtText: string;
}

export interface NewEvent {
  userId: string;
  eventType: string;
  featureKey: string | null;
  insertId: string;
  occurredAt: number;
  uploadedAt: number;
}

/** A numbered insert id ('evt-123') is kept as its prefix's index and its number: no string an event. */
const NUMBERED = /^(.*?)([1-9]\d{0,14}|0)$/;

/**
 * The events uploaded in one hour, as columns of typed arrays (about 40 bytes an event, whatever
 * the event count), growing by doubling.
 */
export class HourBucket {
  count = 0;
  occurred = new Float64Array(16);
  /** Milliseconds into the hour the event was uploaded. */
  uploadOffset = new Int32Array(16);
  state = new Int32Array(16);
  /** Index of the feature key, -1 for none. */
  feature = new Int32Array(16);
  type = new Uint16Array(16);
  idPrefix = new Int32Array(16);
  idNumber = new Float64Array(16);
  /** Insert ids that are not numbered, by position (their prefix index is -1). */
  otherIds = new Map<number, string>();

  constructor(readonly hour: number) {}

  push(occurred: number, uploadOffset: number, state: number, feature: number, type: number, prefix: number, number: number, other: string | null): void {
    if (this.count === this.occurred.length) this.grow(this.count * 2);
    const i = this.count++;
    this.occurred[i] = occurred;
    this.uploadOffset[i] = uploadOffset;
    this.state[i] = state;
    this.feature[i] = feature;
    this.type[i] = type;
    this.idPrefix[i] = prefix;
    this.idNumber[i] = number;
    if (other !== null) this.otherIds.set(i, other);
  }

  /** Keeps only the events `keep` accepts, in order. */
  retain(keep: (i: number) => boolean): number {
    let kept = 0;
    const others = new Map<number, string>();
    for (let i = 0; i < this.count; i++) {
      if (!keep(i)) continue;
      this.occurred[kept] = this.occurred[i];
      this.uploadOffset[kept] = this.uploadOffset[i];
      this.state[kept] = this.state[i];
      this.feature[kept] = this.feature[i];
      this.type[kept] = this.type[i];
      this.idPrefix[kept] = this.idPrefix[i];
      this.idNumber[kept] = this.idNumber[i];
      const other = this.otherIds.get(i);
      if (other !== undefined) others.set(kept, other);
      kept++;
    }
    const removed = this.count - kept;
    this.count = kept;
    this.otherIds = others;
    return removed;
  }

  private grow(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array | Uint16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    this.occurred = grow(this.occurred);
    this.uploadOffset = grow(this.uploadOffset);
    this.state = grow(this.state);
    this.feature = grow(this.feature);
    this.type = grow(this.type);
    this.idPrefix = grow(this.idPrefix);
    this.idNumber = grow(this.idNumber);
  }
}

/**
 * A project's events bucketed by upload hour, in compact form: millions of events cost tens of
 * bytes each, and an export of a range of hours touches only those hours.
 */
export class EventStore {
  readonly states: UserState[] = [];
  readonly features: string[] = [];
  readonly types: string[] = [];
  readonly prefixes: string[] = [];
  readonly hours = new Map<number, HourBucket>();
  private readonly currentState = new Map<string, number>();
  private readonly featureIndex = new Map<string, number>();
  private readonly typeIndex = new Map<string, number>();
  private readonly prefixIndex = new Map<string, number>();
  size = 0;

  /** The user's state from now on (a new user, or changed properties or groups). */
  setUser(user: Omit<UserState, 'propertiesJson' | 'groupsJson' | 'createdAtText'>): void {
    const state = { ...user, propertiesJson: JSON.stringify(user.properties), groupsJson: JSON.stringify(user.groups), createdAtText: exportTime(user.createdAt) };
    this.currentState.set(user.userId, this.states.push(state) - 1);
  }

  user(userId: string): UserState | undefined {
    const state = this.currentState.get(userId);
    return state === undefined ? undefined : this.states[state];
  }

  append(event: NewEvent): void {
    const state = this.currentState.get(event.userId);
    if (state === undefined) throw new Error(`no Amplitude user ${event.userId}`);
    const hour = Math.floor(event.uploadedAt / HOUR_MS);
    let bucket = this.hours.get(hour);
    if (!bucket) this.hours.set(hour, (bucket = new HourBucket(hour)));
    const m = NUMBERED.exec(event.insertId);
    const prefix = m ? this.indexOf(this.prefixes, this.prefixIndex, m[1]) : -1;
    bucket.push(event.occurredAt, event.uploadedAt - hour * HOUR_MS, state,
      event.featureKey === null ? -1 : this.indexOf(this.features, this.featureIndex, event.featureKey),
      this.indexOf(this.types, this.typeIndex, event.eventType), prefix, m ? Number(m[2]) : 0, m ? null : event.insertId);
    this.size++;
  }

  insertId(bucket: HourBucket, i: number): string {
    const prefix = bucket.idPrefix[i];
    return prefix < 0 ? bucket.otherIds.get(i)! : `${this.prefixes[prefix]}${bucket.idNumber[i]}`;
  }

  /** Every event of the user, in any of their states, is gone; returns how many. */
  removeUser(userId: string): number {
    const states = new Set<number>();
    this.states.forEach((s, i) => { if (s.userId === userId) states.add(i); });
    let removed = 0;
    for (const bucket of this.hours.values()) removed += bucket.retain((i) => !states.has(bucket.state[i]));
    this.size -= removed;
    return removed;
  }

  private indexOf(list: string[], index: Map<string, number>, value: string): number {
    let i = index.get(value);
    if (i === undefined) index.set(value, (i = list.push(value) - 1));
    return i;
  }
}
