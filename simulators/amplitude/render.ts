import { exportTime, HOUR_MS, type EventStore, type HourBucket } from './event-store.js';

/** FNV-1a: a cheap, stable 32-bit hash for ids derived from others. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** Amplitude's own id of an event, stable for the same insert id. */
function uuidOf(insertId: string): string {
  const a = hex8(fnv1a(insertId));
  const b = hex8(fnv1a(insertId, 0x01234567));
  const c = hex8(fnv1a(insertId, 0x89abcdef));
  const d = hex8(fnv1a(insertId, 0x2545f491));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(8 | (parseInt(c[0], 16) & 3)).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export interface RenderOptions {
  projectId: number;
  featureProperty: string;
  malformed(insertId: string): boolean;
  /** Fields a newer Amplitude sends that no mapping knows. */
  unknownFields: boolean;
}

/** One exported event, one JSON line, in the Export API's shape. */
export function renderEvent(store: EventStore, bucket: HourBucket, i: number, options: RenderOptions): string {
  const state = store.states[bucket.state[i]];
  const insertId = store.insertId(bucket, i);
  const occurred = exportTime(bucket.occurred[i]);
  const uploaded = exportTime(bucket.hour * HOUR_MS + bucket.uploadOffset[i]);
  const feature = bucket.feature[i];
  const eventProperties = feature < 0 ? '{}' : `{${JSON.stringify(options.featureProperty)}:${JSON.stringify(store.features[feature])}}`;
  const eventTime = options.malformed(insertId) ? '"yesterday evening"' : `"${occurred}"`;
  let userProperties = state.propertiesJson;
  let extra = '';
  if (options.unknownFields) {
    userProperties = `{"initial_utm_source":"newsletter"${userProperties === '{}' ? '}' : `,${userProperties.slice(1)}`}`;
    extra = ',"plan":{"branch":"main","source":"web","version":"4"},"source_id":null,"ingestion_metadata":{"source_name":"amplitude-ts"}';
  }
  return `{"$insert_id":${JSON.stringify(insertId)},"uuid":"${uuidOf(insertId)}","app":${options.projectId},"amplitude_id":${state.amplitudeId},`
    + `"user_id":${JSON.stringify(state.userId)},"device_id":"${state.deviceId}","event_type":${JSON.stringify(store.types[bucket.type[i]])},`
    + `"event_time":${eventTime},"client_event_time":"${occurred}","client_upload_time":"${uploaded}","server_received_time":"${uploaded}",`
    + `"server_upload_time":"${uploaded}","processed_time":"${uploaded}","user_creation_time":"${state.createdAtText}",`
    + `"event_properties":${eventProperties},"user_properties":${userProperties},"groups":${state.groupsJson},"group_properties":{},"data":{},`
    + `"session_id":-1,"platform":"Web","os_name":"Chrome","os_version":"131","device_family":"Mac OS X","device_type":"Mac",`
    + `"country":"United States","language":"English","library":"amplitude-ts/2.11.0","$schema":12,"is_attribution_event":false,`
    + `"paying":null,"version_name":null${extra}}`;
}
