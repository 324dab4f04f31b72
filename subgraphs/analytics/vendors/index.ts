import type { Connector } from '../../../sync/connector.js';
import { amplitude } from './amplitude/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [amplitude];
