import { appendFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEVELOPMENT_JWT_SECRET, DEVELOPMENT_SUBGRAPH_SECRET } from '../../core/config.js';
import { DEVELOPMENT_CREDENTIALS_KEYS } from '../../sync/credentials.js';

/** Shapes of secrets that must never appear in a log line or a response. */
const SECRET_SHAPES: [name: string, pattern: RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./],
  ['a bearer credential', /Bearer\s+[A-Za-z0-9._~+/-]{12,}/],
  ['a Stripe secret key', /sk_(test|live)_[0-9A-Za-z]{16,}/],
  ['a GitHub token', /gh[pousr]_[0-9A-Za-z]{20,}/],
  ['an OAuth access or refresh token', /\b(at|rt)_[A-Za-z0-9_-]{24}\b/],
  ['the JWT secret', new RegExp(DEVELOPMENT_JWT_SECRET)],
  ['the subgraph secret', new RegExp(DEVELOPMENT_SUBGRAPH_SECRET)],
  ['the credentials key', new RegExp(DEVELOPMENT_CREDENTIALS_KEYS.split(':')[1].replace(/[+/=]/g, '\\$&'))],
];

/** Keeps a response body for the scan. */
export function recordResponse(dir: string, body: unknown): void {
  appendFileSync(path.join(dir, `responses-${process.pid}.jsonl`), `${JSON.stringify(body)}\n`);
}

/** Every secret-shaped string in the suite's logs and responses, as 'file:line: what'. */
export async function scanForSecrets(dir: string): Promise<{ lines: number; findings: string[] }> {
  const findings: string[] = [];
  let lines = 0;
  for (const file of await readdir(dir)) {
    const text = await readFile(path.join(dir, file), 'utf8');
    for (const [n, line] of text.split('\n').entries()) {
      if (!line) continue;
      lines++;
      for (const [name, pattern] of SECRET_SHAPES) if (pattern.test(line)) findings.push(`${file}:${n + 1}: ${name}: ${line.slice(0, 200)}`);
    }
  }
  return { lines, findings };
}
