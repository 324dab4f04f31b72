import type { Connector } from '../../../sync/connector.js';
import { jira } from './jira/connector.js';
import { productboard } from './productboard/connector.js';

/** This domain's vendor connectors. */
export const connectors: Connector[] = [jira, productboard];
