/**
 * Cosmos-style errors: a codespace, a code and a message that tells the user what to fix.
 * The same error object reaches the tx result (code, codespace, log), the CLI and the tests.
 */

/** An error raised by state-machine code; anything else that escapes a handler is a bug (ErrPanic). */
export class ChainError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChainError';
  }
}

/** A registered (codespace, code) pair. `wrap` builds the error with SDK-style log text. */
export class ErrorDef {
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly description: string,
  ) {}

  /** `"<detail>: <description>"`, the SDK's wrapped-error log format. */
  wrap(detail?: string): ChainError {
    const message = detail ? `${detail}: ${this.description}` : this.description;
    return new ChainError(this.codespace, this.code, message);
  }

  is(err: unknown): err is ChainError {
    return err instanceof ChainError && err.codespace === this.codespace && err.code === this.code;
  }
}

const registry = new Map<string, ErrorDef>();

/** Registers an error once per (codespace, code); registering twice is a programming error. */
export function registerError(codespace: string, code: number, description: string): ErrorDef {
  if (code === 0 || code === 1) throw new Error(`error code ${code} is reserved (0 = OK, 1 = internal)`);
  const id = `${codespace}:${code}`;
  const existing = registry.get(id);
  if (existing) {
    if (existing.description === description) return existing;
    throw new Error(`error ${id} is already registered as "${existing.description}"`);
  }
  const def = new ErrorDef(codespace, code, description);
  registry.set(id, def);
  return def;
}

/** True when (codespace, code) was registered: what a client may rely on, unlike ErrPanic. */
export function isRegisteredError(codespace: string, code: number): boolean {
  return registry.has(`${codespace}:${code}`);
}

/** Root errors, codespace "sdk", with the Cosmos SDK's codes (types/errors/errors.go). */
export const SDK = 'sdk';
export const ErrTxDecode = registerError(SDK, 2, 'tx parse error');
export const ErrInvalidSequence = registerError(SDK, 3, 'invalid sequence');
export const ErrUnauthorized = registerError(SDK, 4, 'unauthorized');
export const ErrInsufficientFunds = registerError(SDK, 5, 'insufficient funds');
export const ErrUnknownRequest = registerError(SDK, 6, 'unknown request');
export const ErrInvalidAddress = registerError(SDK, 7, 'invalid address');
export const ErrInvalidPubKey = registerError(SDK, 8, 'invalid pubkey');
export const ErrUnknownAddress = registerError(SDK, 9, 'unknown address');
export const ErrInvalidCoins = registerError(SDK, 10, 'invalid coins');
export const ErrOutOfGas = registerError(SDK, 11, 'out of gas');
export const ErrMemoTooLarge = registerError(SDK, 12, 'memo too large');
export const ErrInsufficientFee = registerError(SDK, 13, 'insufficient fee');
export const ErrTooManySignatures = registerError(SDK, 14, 'maximum number of signatures exceeded');
export const ErrNoSignatures = registerError(SDK, 15, 'no signatures supplied');
export const ErrJSONMarshal = registerError(SDK, 16, 'failed to marshal JSON bytes');
export const ErrJSONUnmarshal = registerError(SDK, 17, 'failed to unmarshal JSON bytes');
export const ErrInvalidRequest = registerError(SDK, 18, 'invalid request');
export const ErrTxInMempoolCache = registerError(SDK, 19, 'tx already in mempool');
export const ErrTxTooLarge = registerError(SDK, 21, 'tx too large');
export const ErrKeyNotFound = registerError(SDK, 22, 'key not found');
export const ErrInvalidHeight = registerError(SDK, 26, 'invalid height');
export const ErrInvalidChainID = registerError(SDK, 28, 'invalid chain-id');
export const ErrInvalidType = registerError(SDK, 29, 'invalid type');
export const ErrTxTimeoutHeight = registerError(SDK, 30, 'tx timeout height');
export const ErrUnknownExtensionOptions = registerError(SDK, 31, 'unknown extension options');
export const ErrWrongSequence = registerError(SDK, 32, 'incorrect account sequence');
export const ErrLogic = registerError(SDK, 35, 'internal logic error');
export const ErrNotFound = registerError(SDK, 38, 'not found');
export const ErrInvalidGasLimit = registerError(SDK, 41, 'invalid gas limit');
/** A tx whose timeout_timestamp is before the block time (SDK 0.53's unordered-tx timeout). */
export const ErrTxTimeout = registerError(SDK, 42, 'tx timeout');

/** What a recovered, unexpected exception becomes: the SDK's ErrPanic (codespace "undefined"). */
export const ErrPanic = new ErrorDef('undefined', 111222, 'panic');

/** Turns any thrown value into a ChainError; unknown exceptions become ErrPanic with their text. */
export function toChainError(err: unknown): ChainError {
  if (err instanceof ChainError) return err;
  const text = err instanceof Error ? err.message : String(err);
  return ErrPanic.wrap(text);
}
