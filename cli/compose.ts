import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { subgraphs } from '../subgraphs/index.js';
import { SUPERGRAPH_FILE, composeSupergraph, subgraphSdlFile } from '../schema/compose.js';

/** Writes schema/supergraph.graphql and each subgraph's SDL; `npm run compose` after any schema change. */
const { built, supergraphSdl } = await composeSupergraph(subgraphs);
for (const b of built) await writeFile(subgraphSdlFile(b.name), b.sdl);
await writeFile(SUPERGRAPH_FILE, supergraphSdl);
console.log(`Composed ${built.length} subgraphs into schema/supergraph.graphql`);
