import type { Connector } from '../../../sync/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [];
