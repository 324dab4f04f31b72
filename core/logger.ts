import { pino, type Logger } from 'pino';
import { config } from './config.js';

export type { Logger };

let root: Logger | undefined;

/** The process's JSON logger; credentials and tokens are redacted wherever they appear. */
export function logger(): Logger {
  root ??= pino({
    level: config().LOG_LEVEL,
    base: { service: 'product-graph' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.authorization', '*.password', '*.token', '*.credentials', '*.secret'],
      censor: '[redacted]',
    },
  }, config().LOG_FILE ? pino.destination({ dest: config().LOG_FILE, append: true, sync: true, mkdir: true }) : undefined);
  return root;
}
