import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, SUPERGRAPH_FILE, subgraphSdlFile } from '../../schema/compose.js';
import { subgraphs } from '../../subgraphs/index.js';

describe('the checked-in supergraph', () => {
  it('composes without errors and equals schema/supergraph.graphql (run `npm run compose` after a schema change)', async () => {
    const { built, supergraphSdl } = await composeSupergraph(subgraphs);
    expect(built.map((b) => b.name)).toEqual(['product', 'engineering', 'analytics', 'sales', 'finance', 'customer-success', 'integrations']);
    expect(supergraphSdl).toBe(await readFile(SUPERGRAPH_FILE, 'utf8'));
    for (const b of built) expect(b.sdl).toBe(await readFile(subgraphSdlFile(b.name), 'utf8'));
  });
});
