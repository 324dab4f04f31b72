import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A new temporary directory an embedded Postgres can keep its data under. */
export async function serverTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  // Traversable: as root, the embedded server runs as another user.
  await chmod(dir, 0o755);
  return dir;
}
