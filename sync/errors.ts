/** Why a sync stopped: each kind tells the engine what to do with the connection and the run. */

/** The vendor refused our credentials and refreshing did not help: someone must reconnect. */
export class NeedsReauthError extends Error {
  readonly kind = 'needs_reauth';
}

/** The vendor asked us to wait longer than a run may sleep: resume after `until`. */
export class RateLimitedError extends Error {
  readonly kind = 'rate_limited';
  constructor(message: string, readonly until: Date) {
    super(message);
  }
}

/** The vendor answered with an error that retrying did not cure (or that must not be retried). */
export class VendorError extends Error {
  readonly kind = 'vendor';
  constructor(message: string, readonly status: number | null, readonly body?: string) {
    super(message);
  }
}

/** The connection's credentials or settings are missing or malformed. */
export class ConnectionConfigError extends Error {
  readonly kind = 'config';
}

/** The connection was paused, disconnected or flagged while a run was going: the run stops writing. */
export class ConnectionStoppedError extends Error {
  readonly kind = 'stopped';
}
