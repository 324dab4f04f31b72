import type { ReadContext } from '../../../../sync/connector.js';
import { ConnectionConfigError } from '../../../../sync/errors.js';
import { listAll } from './listing.js';
import type { ProductboardSettings } from './settings.js';

interface CustomField { id: string; name: string; type: string }
interface CustomFieldValue { customField?: { id?: string }; hierarchyEntity?: { id?: string }; value?: unknown }

/**
 * The values of the connection's custom fields by feature id, then by field name
 * ({ "Key": "PG-123", "Priority": "High" }). The key field must exist; the others are optional.
 */
export async function customFieldValues(ctx: ReadContext<unknown>, settings: ProductboardSettings): Promise<Map<string, Record<string, string>>> {
  const wanted = Object.values(settings.customFields);
  const fields = (await listAll<CustomField>(ctx, '/hierarchy-entities/custom-fields?type=text')).filter((f) => wanted.includes(f.name));
  if (!fields.some((f) => f.name === settings.customFields.key)) {
    throw new ConnectionConfigError(`Productboard has no text custom field "${settings.customFields.key}" to take each feature's key from (config.customFields.key)`);
  }
  const byFeature = new Map<string, Record<string, string>>();
  for (const field of fields) {
    for (const value of await listAll<CustomFieldValue>(ctx, `/hierarchy-entities/custom-fields-values?customField.id=${encodeURIComponent(field.id)}`)) {
      const feature = value.hierarchyEntity?.id;
      if (!feature || typeof value.value !== 'string') continue;
      const values = byFeature.get(feature) ?? {};
      values[field.name] = value.value;
      byFeature.set(feature, values);
    }
  }
  return byFeature;
}
