import cliProgress from 'cli-progress';
import type { Connector, SyncMode } from './connector.js';
import type { ConnectionRow } from './connection-store.js';
import { runStream, type RunSummary, type SyncDeps } from './run-stream.js';

export interface ForegroundOptions {
  mode: SyncMode;
  streams?: string[];
  /** Draw live progress (a terminal); otherwise print one line per finished stream. */
  interactive: boolean;
  write?: (line: string) => void;
}

/**
 * Syncs connections stream by stream in this process, with a live line per stream (records,
 * record errors, rate) and a summary per stream: the CLI's `sync` and `npm start`'s first load.
 */
export async function syncInForeground(deps: SyncDeps, connections: ConnectionRow[], options: ForegroundOptions): Promise<RunSummary[]> {
  const write = options.write ?? ((line: string) => console.log(line));
  const bars = options.interactive
    ? new cliProgress.MultiBar({ format: ' {name} │ {status} │ {value} records │ {errors} errors │ {rate}/s', hideCursor: true, clearOnComplete: false, fps: 5 }, cliProgress.Presets.shades_classic)
    : null;
  const summaries: RunSummary[] = [];
  try {
    for (const connection of connections) {
      const connector = deps.connectors.get(connection.vendor) as Connector;
      for (const stream of connector.streams) {
        if (options.streams && !options.streams.includes(stream.name)) continue;
        if (options.mode === 'reconcile' && stream.reconcilable === false) continue;
        const name = `${connector.title} ${stream.name}`.padEnd(28);
        const bar = bars?.create(1, 0, { name, status: 'syncing ', errors: 0, rate: 0 });
        const summary = await runStream(deps, { tenantId: connection.tenant_id, connectionId: connection.id, stream: stream.name, mode: options.mode }, (progress) => {
          bar?.setTotal(Math.max(1, progress.written));
          bar?.update(progress.written, { errors: progress.recordErrors, rate: Math.round(progress.written / Math.max(progress.seconds, 0.001)) });
        });
        bar?.update(summary.written, { status: summary.status.padEnd(8), errors: summary.recordErrors, rate: Math.round(summary.written / Math.max(summary.seconds, 0.001)) });
        bar?.stop();
        if (!bars) write(` ${name} ${summary.status.padEnd(9)} ${summary.written} records, ${summary.recordErrors} errors, ${summary.deleted} deleted in ${summary.seconds.toFixed(1)} s${summary.error ? ` — ${summary.error}` : ''}`);
        summaries.push(summary);
      }
    }
  } finally {
    bars?.stop();
  }
  return summaries;
}

/** One line over all runs: records, errors, time. */
export function totals(summaries: RunSummary[]): string {
  const sum = (f: (s: RunSummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
  const failed = summaries.filter((s) => s.status === 'failed');
  const seconds = sum((s) => s.seconds);
  return `${sum((s) => s.written).toLocaleString('en-US')} records, ${sum((s) => s.recordErrors)} record errors, ${sum((s) => s.deleted)} deleted, ` +
    `${failed.length} failed stream${failed.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s`;
}
