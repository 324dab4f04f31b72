import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import type { Logger } from '../core/logger.js';
import { acceptWebhook, type IntakeDeps } from '../sync/webhooks/intake.js';
import { WebhookRefused, type WebhookRequest } from '../sync/webhooks/webhook.js';

export interface WebhookRouteOptions extends IntakeDeps {
  maxBytes: number;
  /** The public origin vendors post to, when a proxy stands in front (HubSpot signs the full URL). */
  publicUrl?: string;
  log: Logger;
}

function asWebhookRequest(req: Request, publicUrl: string | undefined): WebhookRequest {
  const origin = publicUrl ? publicUrl.replace(/\/$/, '') : `${req.protocol}://${req.get('host')}`;
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
  return { method: req.method, url: `${origin}${req.originalUrl}`, headers, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) };
}

/**
 * `POST /webhooks/<vendor>/<connection id>`: verify, store the receipt, enqueue, answer 202 —
 * quickly, as vendors expect (GitHub gives up after 10 s). Errors answer `{ error: { code, message } }`:
 * 401 for a wrong, missing or stale signature, 413 for a body over WEBHOOK_MAX_BYTES, 400 for a
 * body that is not JSON, 404 for an unknown vendor or connection.
 */
export function webhookRoutes(app: Express, options: WebhookRouteOptions): void {
  const log = options.log.child({ component: 'webhooks' });
  app.post('/webhooks/:vendor/:connection', express.raw({ type: () => true, limit: options.maxBytes }), async (req, res) => {
    const vendor = String(req.params.vendor);
    const connection = String(req.params.connection);
    try {
      const result = await acceptWebhook(options, vendor, connection, asWebhookRequest(req, options.publicUrl));
      res.status(202).json(result);
    } catch (error) {
      if (error instanceof WebhookRefused) {
        log.warn({ vendor, connection, status: error.status, code: error.code }, `webhook refused: ${error.message}`);
        res.status(error.status).json({ error: { code: error.code, message: error.message } });
        return;
      }
      log.error({ vendor, connection, err: (error as Error).message }, 'webhook intake failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'the delivery was not stored; send it again' } });
    }
  });
  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    if (error?.status === 413) {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `the body is larger than ${options.maxBytes} bytes` } });
      return;
    }
    next(error);
  };
  app.use('/webhooks', bodyErrors);
}
