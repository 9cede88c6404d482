import type { Context } from '../../app/types/context.js';

/**
 * What tokens needs from the auth module. As in the SDK, an account comes into existence when it
 * first receives coins, so tokens calls `ensureAccount` for every recipient of a transfer or mint
 * (idempotent: a no-op when the account exists).
 */
export interface AccountKeeperForTokens {
  ensureAccount(ctx: Context, address: string): void;
}
