import type { Express, Request, Response } from 'express';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { maxPageSize } from '../../core/page-sizes.js';
import { ErrorCode } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { authenticate } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { csvRecord, type Cell } from './csv.js';
import { EXPORT_REPORTS, type ExportColumn, type ExportReport } from './reports.js';
import { exportOperation, SYNCED_AS_OF } from './query.js';

export interface ExportOptions {
  apollo: ApolloServer<GatewayContext>;
  /** The gateway's per-tenant request budget: one export is one request. */
  rateLimit: (tenantId: string) => Promise<void>;
  log: Logger;
}

const FORMATS = {
  csv: { contentType: 'text/csv; charset=utf-8' },
  ndjson: { contentType: 'application/x-ndjson' },
} as const;
type Format = keyof typeof FORMATS;

const STATUS_OF_CODE: Record<string, number> = {
  [ErrorCode.BadUserInput]: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  RATE_LIMITED: 429,
};

/** An error answered before any row: its HTTP status, and the body every gateway error has. */
class ExportRefused extends Error {
  constructor(readonly status: number, message: string, readonly extensions: Record<string, unknown>, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function refusedBy(error: GraphQLError | { message: string; extensions?: Record<string, unknown> }): ExportRefused {
  const { http, ...extensions } = (error.extensions ?? {}) as { http?: { headers?: Map<string, string> }; code?: string };
  const code = typeof extensions.code === 'string' ? extensions.code : ErrorCode.Internal;
  const headers = http?.headers ? Object.fromEntries(http.headers) : {};
  return new ExportRefused(STATUS_OF_CODE[code] ?? 500, error.message, { ...extensions, code }, headers);
}

function answerRefusal(res: Response, refusal: ExportRefused): void {
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  res.status(refusal.status).json({ errors: [{ message: refusal.message, extensions: refusal.extensions }] });
}

/**
 * `GET /export/<report>.csv` and `GET /export/<report>.ndjson`: a report or entity list of the graph
 * as one flat file, for BI tools that cannot page GraphQL. Authenticated and scoped as /graphql;
 * each page is a GraphQL operation through this gateway (same plugins: limits, scopes, logging),
 * walked at the connection's largest page size and written as it arrives.
 */
export function exportRoutes(app: Express, options: ExportOptions): void {
  app.get('/export/:file', async (req, res) => {
    const requestId = res.locals.requestId as string;
    try {
      const principal = await authenticate(req.headers);
      const { report, format } = reportOf(req.params.file);
      const { columns: wanted, ...variables } = parameters(report, req);
      const columns = selectColumns(report, wanted as string[] | undefined);
      await options.rateLimit(principal.tenantId);
      const log = options.log.child({ requestId, tenantId: principal.tenantId, export: report.name });
      await streamExport(res, { apollo: options.apollo, context: { principal, requestId, log }, report, format, columns, variables });
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof ExportRefused) return answerRefusal(res, error);
      if (error instanceof GraphQLError) return answerRefusal(res, refusedBy(error));
      options.log.error({ err: error, requestId }, 'export failed before its first row');
      answerRefusal(res, new ExportRefused(500, 'Internal server error.', { code: ErrorCode.Internal }));
    }
  });
}

function reportOf(file: string): { report: ExportReport; format: Format } {
  const match = /^([a-z0-9-]+)\.(csv|ndjson)$/.exec(file);
  const report = match ? EXPORT_REPORTS.get(match[1]) : undefined;
  if (!match || !report) {
    throw new ExportRefused(404, `No export "${file}": ask for one of ${[...EXPORT_REPORTS.keys()].map((n) => `${n}.csv`).join(', ')} (or .ndjson).`, { code: ErrorCode.NotFound });
  }
  return { report, format: match[2] as Format };
}

function parameters(report: ExportReport, req: Request): Record<string, unknown> {
  const parsed = report.params.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new ExportRefused(400, `Bad query parameters for ${report.name}: ${problems.join('; ')}.`, {
    code: ErrorCode.BadUserInput,
    parameters: [...new Set(parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : i.path.map(String))))],
  });
}

function selectColumns(report: ExportReport, wanted: string[] | undefined): ExportColumn[] {
  if (!wanted) return report.columns;
  const byName = new Map(report.columns.map((c) => [c.name, c]));
  const unknown = wanted.filter((name) => !byName.has(name));
  if (unknown.length) {
    throw new ExportRefused(400, `Unknown columns for ${report.name}: ${unknown.join(', ')}; its columns are ${report.columns.map((c) => c.name).join(', ')}.`, {
      code: ErrorCode.BadUserInput, parameters: ['columns'],
    });
  }
  return [...new Set(wanted)].map((name) => byName.get(name)!);
}

interface Run {
  apollo: ApolloServer<GatewayContext>;
  context: GatewayContext;
  report: ExportReport;
  format: Format;
  columns: ExportColumn[];
  variables: Record<string, unknown>;
}

/** A page of rows; a columnar report's first page also says `asOf` (see NodePage). */
interface PageResult { nodes: any[]; endCursor: string | null; asOf?: string | null }

async function execute(run: Run, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await run.apollo.executeOperation({ query, variables }, { contextValue: run.context });
  if (response.body.kind !== 'single') throw new ExportRefused(500, 'Incremental delivery is not offered to exports.', { code: ErrorCode.Internal });
  const { data, errors } = response.body.singleResult;
  // A row with a field missing is not a row: any error fails the export.
  if (errors?.length) throw refusedBy(errors[0] as GraphQLError);
  return data as Record<string, any>;
}

async function fetchPage(run: Run, query: string, after: string | null, first = maxPageSize(`Query.${run.report.field}`)): Promise<PageResult> {
  const data = await execute(run, query, { ...run.variables, first, after });
  const page = data.page as { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: unknown }[] };
  return { nodes: page.edges.map((e) => e.node), endCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null };
}

/**
 * A report read as columns is refused as its rows would be (a scope refusal names the report's fields, not the
 * columns'): the row operation is asked for one row and its refusal wins; when it has none, the columns' does.
 */
async function refusedAsRows(run: Run, query: string, error: unknown): Promise<never> {
  await fetchPage(run, query, null, 1);
  throw error;
}

/** Resolves once the response can take more, or once the client has gone (then `false`). */
function writable(res: Response): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (!res.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => { res.off('drain', onDrain); res.off('close', onClose); resolve(ok); };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Answers the first page (or its refusal) before any byte is sent, then writes each page as it
 * arrives while the next is already being fetched; waits for 'drain' when the client reads
 * slower than the graph answers, and stops when the client goes. A failure after the first
 * byte aborts the connection, so the file can never look complete.
 */
async function streamExport(res: Response, run: Run): Promise<void> {
  const query = exportOperation(run.report, run.columns);
  const names = run.columns.map((c) => c.name);
  const asOfDomains = names.includes('asOf') && run.report.asOfDomains ? run.report.asOfDomains(names) : null;
  const columnar = run.report.columnar?.((q, variables) => execute(run, q, variables), run.variables, names, asOfDomains);
  const pageAfter = columnar ?? ((after: string | null) => fetchPage(run, query, after));
  const [first, asOf] = await Promise.all([
    columnar ? pageAfter(null).catch((error) => refusedAsRows(run, query, error)) : pageAfter(null),
    // A columnar report's first page says it; a report of rows asks for it beside its first page.
    asOfDomains && !columnar ? execute(run, SYNCED_AS_OF, { domains: asOfDomains }).then((d) => d.syncedAsOf as string | null) : null,
  ]);
  const shared = { asOf: columnar ? first.asOf ?? null : asOf };
  const encode = run.format === 'csv'
    ? (node: unknown) => csvRecord(run.columns.map((c) => c.value(node, shared)))
    : (node: unknown) => {
      const row: Record<string, Cell> = {};
      for (const c of run.columns) row[c.name] = c.value(node, shared);
      return JSON.stringify(row) + '\n';
    };

  res.status(200);
  res.setHeader('content-type', FORMATS[run.format].contentType);
  res.setHeader('content-disposition', `attachment; filename="${run.report.name}.${run.format}"`);
  res.setHeader('cache-control', 'no-store');
  if (run.format === 'csv') res.write(csvRecord(names));

  let page: PageResult = first;
  let rows = 0;
  try {
    for (;;) {
      const next = page.endCursor ? pageAfter(page.endCursor) : null;
      // Never an unhandled rejection when the client leaves before the next page arrives.
      next?.catch(() => {});
      let chunk = '';
      for (const node of page.nodes) chunk += encode(node);
      if (chunk && !res.destroyed) res.write(chunk);
      rows += page.nodes.length;
      if (!(await writable(res))) {
        run.context.log.info({ rows }, 'export stopped: the client went away');
        return;
      }
      if (!next) break;
      page = await next;
    }
    res.end();
    run.context.log.info({ rows }, 'export sent');
  } catch (error) {
    run.context.log.error({ err: error, rows }, 'export failed mid-stream: connection aborted');
    res.destroy(error as Error);
  }
}
