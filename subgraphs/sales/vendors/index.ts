import type { Connector } from '../../../sync/connector.js';
import { hubspot } from './hubspot/connector.js';
import { salesforce } from './salesforce/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [salesforce, hubspot];
