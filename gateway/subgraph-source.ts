import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { config } from '../core/config.js';
import { REQUEST_ID_HEADER, SCOPES_HEADER, TENANT_HEADER } from '../core/context.js';
import { SIGNATURE_HEADER, signRequest } from '../core/gateway-signature.js';
import type { GatewayContext } from './context.js';
import { subgraphFetch } from './subgraph-http.js';
import { unavailableResponse } from './unavailable-subgraph.js';

/** Calls one subgraph, telling it who asks: tenant, scopes and the request id for the logs. */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, url: string) {
    super({ url, fetcher: subgraphFetch });
    // Signs the exact bytes sent, after the data source has serialised the request.
    const send = this.fetcher;
    this.fetcher = (input, init) => {
      const headers = { ...(init?.headers as Record<string, string>) };
      const fields = { tenantId: headers[TENANT_HEADER] ?? '', scopes: headers[SCOPES_HEADER] ?? '', requestId: headers[REQUEST_ID_HEADER] ?? '' };
      headers[SIGNATURE_HEADER] = signRequest(config().SUBGRAPH_SECRET, fields, String(init?.body ?? ''));
      const request = { ...init, headers };
      return send(input, request).catch((error: unknown) => {
        if (!isStaleConnection(error) || isMutation(String(init?.body ?? ''))) throw error;
        return send(input, request);
      });
    };
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('principal' in context) || !context.principal) return;
    request.http?.headers.set(TENANT_HEADER, context.principal.tenantId);
    request.http?.headers.set(SCOPES_HEADER, context.principal.scopes.join(' '));
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  /** A subgraph that does not answer costs the client only that subgraph's fields. */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/https?:\/\/\S+/g, 'its address').slice(0, 200) : 'no response';
      if ('log' in options.context && options.context.log) options.context.log.warn({ subgraph: this.subgraph, reason }, 'subgraph unavailable');
      return unavailableResponse(this.subgraph, reason, options.request.query ?? '', options.request.variables?.representations) as GatewayGraphQLResponse;
    }
  }
}

/**
 * A kept-alive connection that the subgraph closed as the request went out: the subgraph never read the request
 * (it was idle), so a query can be sent again on a fresh connection. A mutation is never resent: a reset is also
 * what a request the subgraph did read can end in.
 */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function isMutation(body: string): boolean {
  try {
    return /^\s*mutation\b/.test((JSON.parse(body) as { query?: string }).query ?? '');
  } catch {
    return true;
  }
}
