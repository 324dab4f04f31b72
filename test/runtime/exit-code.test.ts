import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

describe('the exit code of a process that loaded the embedded Postgres', () => {
  it('is its own when it ends on its own: a failed run is not reported as passed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/exit-code-child.ts', '3'], { stdio: 'ignore' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(3);
  });
});
