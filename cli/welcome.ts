import type { RunningSubgraph } from '../core/subgraph.js';
import type { SimulatedVendor } from '../simulators/index.js';

export const EXAMPLE_QUERY = `query FeatureAdoption {
  features(filter: { releasedWithinDays: 90 }, first: 5) {
    totalCount
    edges { node {
      key name releasedAt
      adoption { activeUsers adoptionRate powerUsers }
      associatedRevenue { amount currency }
      delivery { mergedPullRequests lastDeployedAt }
      cost { amount } roi
      satisfaction { csat nps }
      source { vendor url syncedAt }
    } }
  }
}`;

/** What `npm start` prints once everything answers: where to go and how to ask. */
export function printWelcome(options: { endpoint: string; token: string | null; subgraphs: RunningSubgraph[]; simulators: SimulatedVendor[]; seconds: number }): void {
  const body = JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') });
  const token = options.token ?? '<a token from your identity provider>';
  console.log(`
Product Graph is up in ${options.seconds.toFixed(1)} s.

  GraphQL endpoint   ${options.endpoint}
  Health             ${options.endpoint.replace(/\/graphql$/, '/readyz')}
  Subgraphs          ${options.subgraphs.map((s) => `${s.name} ${s.url}`).join('\n                     ')}${options.simulators.length ? `
  Vendor simulators  ${options.simulators.map((s) => `${s.vendor} ${s.url}`).join('\n                     ')}
  Connections        npx product-graph connections   (sync now: npx product-graph sync)` : ''}

${options.token ? 'Development token (tenant "demo", all scopes, 12 h):' : 'Tokens come from your identity provider (JWT_JWKS_URL or JWT_PUBLIC_KEY).'}
${token}

Example query:
${EXAMPLE_QUERY}

Try it:
curl -s ${options.endpoint} \\
  -H 'content-type: application/json' \\
  -H 'authorization: Bearer ${token}' \\
  -d '${body}'

Press Ctrl+C to stop.`);
}
