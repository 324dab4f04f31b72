import type { Connector } from '../../../sync/connector.js';
import { gainsight } from './gainsight/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [gainsight];
