#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx product-graph` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/sync.ts');
