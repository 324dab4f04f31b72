import type { Connector } from '../../../sync/connector.js';
import { github } from './github/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [github];
