import type { Connector } from '../../../sync/connector.js';
import { stripe } from './stripe/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [stripe];
