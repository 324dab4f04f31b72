import 'reflect-metadata';
import path from 'node:path';
import { inject } from 'vitest';

// Every worker logs to a file of its own and keeps the responses it got, for the suite's secret scan.
process.env.LOG_FILE ??= path.join(inject('secretScanDir'), `log-${process.pid}.jsonl`);
