/** Tenant ids: lower-case letters, digits, `_` and `-`, at most 63 characters (they appear in logs and URLs). */
export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const TENANT_ID_RULE = 'lower-case letters, digits, _ and -, at most 63 characters';
