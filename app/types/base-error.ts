/** What a BaseError may carry besides its short message. */
export interface BaseErrorOptions {
  /** More on what went wrong (a process's last output, a server's answer): appended to the message. */
  readonly details?: string;
  /** The error this one explains; kept as the standard `cause`. */
  readonly cause?: unknown;
}

/**
 * The base of every error thrown off chain (node operations, RPC clients, the CLI, the load
 * generator, the relayer, the API servers, the ABCI framing): a short message that says what
 * failed, optional details, and the cause. `name` is the subclass's name, so a log line says which
 * error it was. State-machine failures are ChainErrors instead (app/types/errors.ts): they carry a
 * registered codespace and code that clients match on.
 */
export class BaseError extends Error {
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(
      options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }

  /** This error, or the first in its chain of causes that `matches` (by default the deepest cause). */
  walk(matches?: (err: unknown) => boolean): unknown {
    let err: unknown = this;
    for (;;) {
      if (matches?.(err)) return err;
      const cause = err instanceof Error ? err.cause : undefined;
      if (cause === undefined) return matches ? undefined : err;
      err = cause;
    }
  }
}
