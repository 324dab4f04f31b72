/** A Productboard connection's settings, read from its config with their defaults. */
export interface ProductboardSettings {
  pageSize: number;
  /** Names of the text custom fields holding what Productboard has no field for. */
  customFields: { key: string; priority: string; team: string };
}

export function productboardSettings(config: Record<string, unknown>): ProductboardSettings {
  const names = (config.customFields ?? {}) as Partial<ProductboardSettings['customFields']>;
  return {
    pageSize: Math.min(100, Math.max(1, Number(config.pageSize) || 100)),
    customFields: { key: names.key ?? 'Key', priority: names.priority ?? 'Priority', team: names.team ?? 'Team' },
  };
}
