import { z } from 'zod';
import { TENANT_ID } from './tenant-id.js';
import { DEVELOPMENT_CREDENTIALS_KEYS, parseKeyRing } from '../sync/credentials.js';

/** The development JWT secret: fine on a laptop, refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'product-graph-development-secret-change-me';
/** The development gateway-to-subgraph secret: likewise refused in production. */
export const DEVELOPMENT_SUBGRAPH_SECRET = 'product-graph-development-subgraph-secret';

const port = z.coerce.number().int().min(0).max(65535);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port.default(4000),
    HOST: z.string().default('0.0.0.0'),
    SUBGRAPH_PORT_BASE: port.default(4001),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATABASE_POOL_MIN: z.coerce.number().int().min(0).max(200).default(4),
    DATA_DIR: z.string().default('.data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FILE: z.string().optional(),
    JWT_SECRET: z.string().min(32).default(DEVELOPMENT_JWT_SECRET),
    JWT_ISSUER: z.string().default('product-graph'),
    JWT_AUDIENCE: z.string().default('product-graph'),
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_PUBLIC_KEY: z.string().optional(),
    SUBGRAPH_SECRET: z.string().min(32).default(DEVELOPMENT_SUBGRAPH_SECRET),
    MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
    MAX_BULK_PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
    DEFAULT_PAGE_SIZE: z.coerce.number().int().min(1).default(20),
    DEMO_TENANT: z.string().regex(TENANT_ID).default('demo'),
    MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(15),
    MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(30),
    MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(30),
    MAX_QUERY_TOKENS: z.coerce.number().int().min(10).default(5_000),
    MAX_QUERY_COST: z.coerce.number().int().min(1).default(100_000),
    MAX_REQUEST_BYTES: z.coerce.number().int().min(1_000).default(1_000_000),
    RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).default(1_000),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(10),
    STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
    GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    GRAPHQL_FIELD_SUGGESTIONS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    CREDENTIALS_KEYS: z.string().default(DEVELOPMENT_CREDENTIALS_KEYS),
    SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(15),
    SYNC_RECONCILE_HOURS: z.coerce.number().int().min(1).default(24),
    SYNC_BACKFILL_DAYS: z.coerce.number().int().min(1).default(365),
    SYNC_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    SYNC_MAX_RETRY_WAIT_SECONDS: z.coerce.number().int().min(1).default(120),
    SIMULATORS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    SIMULATOR_PORT_BASE: port.default(4100),
    OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(1).default(72),
    SUBSCRIPTION_BUFFER: z.coerce.number().int().min(1).default(1_000),
    WEBHOOK_MAX_BYTES: z.coerce.number().int().min(1_000).default(5_000_000),
    WEBHOOK_PUBLIC_URL: z.string().url().optional(),
    SYNC_WORKER: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_JWKS_URL && !env.JWT_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_JWKS_URL'], message: 'set JWT_JWKS_URL or JWT_PUBLIC_KEY: HS256 development tokens are refused in production' });
    }
    if (env.JWT_JWKS_URL && env.JWT_PUBLIC_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: 'set JWT_JWKS_URL or JWT_PUBLIC_KEY, not both' });
    }
    if (env.NODE_ENV === 'production' && env.SUBGRAPH_SECRET === DEVELOPMENT_SUBGRAPH_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SUBGRAPH_SECRET'], message: 'set SUBGRAPH_SECRET: the development secret is refused in production' });
    }
    if (env.NODE_ENV === 'production' && env.CREDENTIALS_KEYS === DEVELOPMENT_CREDENTIALS_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['CREDENTIALS_KEYS'], message: 'set CREDENTIALS_KEYS: the development key is refused in production' });
    }
    try {
      parseKeyRing(env.CREDENTIALS_KEYS);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['CREDENTIALS_KEYS'], message: (error as Error).message });
    }
    if (env.DEFAULT_PAGE_SIZE > env.MAX_PAGE_SIZE) {
      ctx.addIssue({ code: 'custom', path: ['DEFAULT_PAGE_SIZE'], message: 'must not exceed MAX_PAGE_SIZE' });
    }
    if (env.DATABASE_POOL_MIN > env.DATABASE_POOL_SIZE) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_POOL_MIN'], message: 'must not exceed DATABASE_POOL_SIZE' });
    }
    if (env.MAX_BULK_PAGE_SIZE < env.MAX_PAGE_SIZE) {
      ctx.addIssue({ code: 'custom', path: ['MAX_BULK_PAGE_SIZE'], message: 'must be at least MAX_PAGE_SIZE' });
    }
  });

/** `SUBGRAPH_URL_<NAME>=url` tells a standalone gateway where a subgraph runs (name lower-cased, _ as -). */
const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

export type Config = Readonly<z.infer<typeof schema> & { SUBGRAPH_URLS: Readonly<Record<string, string>> }>;

function subgraphUrls(env: NodeJS.ProcessEnv): { urls: Record<string, string>; issues: string[] } {
  const urls: Record<string, string> = {};
  const issues: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(SUBGRAPH_URL_PREFIX) || !value) continue;
    if (!z.string().url().safeParse(value).success) issues.push(`  ${key}: not a URL`);
    urls[key.slice(SUBGRAPH_URL_PREFIX.length).toLowerCase().replace(/_/g, '-')] = value;
  }
  return { urls, issues };
}

/** Parses and validates the environment; throws one readable error naming every bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  const subgraphs = subgraphUrls(env);
  const lines = [...(result.success ? [] : result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)), ...subgraphs.issues];
  if (!result.success || lines.length) throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  return Object.freeze({ ...result.data, SUBGRAPH_URLS: Object.freeze(subgraphs.urls) });
}

let current: Config | undefined;

/** The process's configuration, read once from the environment and frozen. */
export function config(): Config {
  current ??= parseConfig();
  return current;
}
