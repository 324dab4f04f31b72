import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { serverTempDir } from '../support/temp-dir.js';

async function accepts(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres`, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The directories the children's servers kept their data in: the server removes its data, not the directory. */
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Starts test/support/embedded-child.ts: the process, its output's lines, and its server's URL once up. */
async function startChild(args: string[]) {
  const dir = await serverTempDir('product-graph-embedded-');
  dirs.push(dir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/embedded-child.ts', dir, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const serverUrl = (await lines.next()).value as string;
  return { child, exited, lines, serverUrl };
}

describe('an embedded Postgres', () => {
  it('stops with a process that has no shutdown of its own, which exits as a SIGTERM ends it', async () => {
    const { child, exited, serverUrl } = await startChild([]);
    expect(await accepts(serverUrl)).toBe(true);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(143);
    expect(await accepts(serverUrl)).toBe(false);
  }, 60_000);

  it('is still up for the shutdown of a process that has one, which stops it last', async () => {
    const { child, exited, lines, serverUrl } = await startChild(['own-shutdown']);
    child.kill('SIGTERM');
    expect((await lines.next()).value).toBe('still up');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(await accepts(serverUrl)).toBe(false);
  }, 60_000);
});
