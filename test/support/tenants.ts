/** The tenants the test database is seeded with: demo, and a second one that demo must never see. */
export const TENANT_A = 'demo';
export const TENANT_B = 'globex';
export const TEST_TENANTS = [TENANT_A, TENANT_B] as const;
