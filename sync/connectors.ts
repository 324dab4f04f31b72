import type { Connector } from './connector.js';
import { connectors as product } from '../subgraphs/product/vendors/index.js';
import { connectors as engineering } from '../subgraphs/engineering/vendors/index.js';
import { connectors as analytics } from '../subgraphs/analytics/vendors/index.js';
import { connectors as sales } from '../subgraphs/sales/vendors/index.js';
import { connectors as finance } from '../subgraphs/finance/vendors/index.js';
import { connectors as customerSuccess } from '../subgraphs/customer-success/vendors/index.js';

/** Every vendor connector, by vendor name: each lives with the domain it feeds. */
export const connectors: ReadonlyMap<string, Connector> = new Map(
  [...product, ...engineering, ...analytics, ...sales, ...finance, ...customerSuccess].map((c) => [c.vendor, c]),
);
