import type { SubgraphModule } from '../core/subgraph.js';
import { product } from './product/index.js';
import { engineering } from './engineering/index.js';
import { analytics } from './analytics/index.js';
import { sales } from './sales/index.js';
import { finance } from './finance/index.js';
import { customerSuccess } from './customer-success/index.js';
import { integrations } from './integrations/index.js';

/** Every subgraph of the graph; each listens on SUBGRAPH_PORT_BASE + portOffset. */
export const subgraphs: SubgraphModule[] = [product, engineering, analytics, sales, finance, customerSuccess, integrations];
