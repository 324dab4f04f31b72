import type { Principal } from '../core/auth.js';
import type { Logger } from '../core/logger.js';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
  log: Logger;
}
