import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { buildSubgraph, type BuiltSubgraph, type SubgraphModule } from '../core/subgraph.js';

export const SUPERGRAPH_FILE = new URL('./supergraph.graphql', import.meta.url);
export const subgraphSdlFile = (name: string) => new URL(`./subgraphs/${name}.graphql`, import.meta.url);

/**
 * The URLs in the checked-in supergraph are those of the default ports; the gateway maps each
 * subgraph name to its real URL at run time.
 */
const SUPERGRAPH_PORT_BASE = 4001;

function defaultSubgraphUrl(module: SubgraphModule): string {
  return `http://localhost:${SUPERGRAPH_PORT_BASE + module.portOffset}/graphql`;
}

export interface Composition {
  built: BuiltSubgraph[];
  supergraphSdl: string;
}

/** Builds every subgraph and composes their SDL; throws with every composition error listed. */
export async function composeSupergraph(modules: SubgraphModule[]): Promise<Composition> {
  const built = await Promise.all(modules.map(buildSubgraph));
  const result = composeServices(
    built.map((b, i) => ({ name: b.name, url: defaultSubgraphUrl(modules[i]), typeDefs: parse(b.sdl) })),
  );
  if (result.errors?.length) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { built, supergraphSdl: result.supergraphSdl! };
}
