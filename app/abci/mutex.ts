/**
 * A FIFO async mutex: `run(fn)` starts `fn` only after every earlier `run` has settled.
 * The ABCI server holds one across all connections so application handlers never interleave at
 * their `await` points (the Go socket server's appMtx gives the same guarantee).
 */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    // The next caller waits for this one whether it resolves or rejects.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
