import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from './logger.js';

/**
 * One JSON log line per GraphQL request: who, what, how long, which errors. The gateway logs
 * at info; subgraphs at debug, under the same request id.
 */
export function requestLogPlugin<C extends { log?: Logger }>(level: 'info' | 'debug' = 'info'): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors, response }) {
          const codes = (errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
          contextValue?.log?.[level](
            {
              operationName: operationName ?? null,
              durationMs: Math.round(performance.now() - started),
              status: response.http.status ?? 200,
              errors: codes.length ? codes : undefined,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
