import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { config } from '../core/config.js';
import { REQUEST_ID_HEADER, SCOPES_HEADER, TENANT_HEADER } from '../core/context.js';
import { SIGNATURE_HEADER, signRequest } from '../core/gateway-signature.js';
import type { GatewayContext } from './context.js';
import { unavailableResponse } from './unavailable-subgraph.js';

/** Calls one subgraph, telling it who asks: tenant, scopes and the request id for the logs. */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, url: string) {
    super({ url });
    // Signs the exact bytes sent, after the data source has serialised the request.
    const send = this.fetcher;
    this.fetcher = (input, init) => {
      const headers = { ...(init?.headers as Record<string, string>) };
      const fields = { tenantId: headers[TENANT_HEADER] ?? '', scopes: headers[SCOPES_HEADER] ?? '', requestId: headers[REQUEST_ID_HEADER] ?? '' };
      headers[SIGNATURE_HEADER] = signRequest(config().SUBGRAPH_SECRET, fields, String(init?.body ?? ''));
      return send(input, { ...init, headers });
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
