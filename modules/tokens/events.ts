import type { Coin } from '../../app/types/coins.js';
import { coinsToString } from '../../app/types/coins.js';
import type { EventManager } from '../../app/types/events.js';

/**
 * The Cosmos SDK's bank events (x/bank/types/events.go), same types, keys and attribute order,
 * so indexers and `searchTx` queries like `transfer.recipient='…'` work as on a Go chain.
 */
export const EventTypes = {
  transfer: 'transfer',
  coinSpent: 'coin_spent',
  coinReceived: 'coin_received',
  coinbase: 'coinbase',
  burn: 'burn',
  message: 'message',
} as const;

export function emitCoinSpent(events: EventManager, spender: string, amount: readonly Coin[]): void {
  events.emit(EventTypes.coinSpent, [
    ['spender', spender],
    ['amount', coinsToString(amount)],
  ]);
}

export function emitCoinReceived(events: EventManager, receiver: string, amount: readonly Coin[]): void {
  events.emit(EventTypes.coinReceived, [
    ['receiver', receiver],
    ['amount', coinsToString(amount)],
  ]);
}

/** `transfer{recipient, sender, amount}` then `message{sender}`, as SDK `SendCoins` emits them. */
export function emitTransfer(events: EventManager, sender: string, recipient: string, amount: readonly Coin[]): void {
  events.emit(EventTypes.transfer, [
    ['recipient', recipient],
    ['sender', sender],
    ['amount', coinsToString(amount)],
  ]);
  events.emit(EventTypes.message, [['sender', sender]]);
}

export function emitCoinbase(events: EventManager, minter: string, amount: readonly Coin[]): void {
  events.emit(EventTypes.coinbase, [
    ['minter', minter],
    ['amount', coinsToString(amount)],
  ]);
}

export function emitBurn(events: EventManager, burner: string, amount: readonly Coin[]): void {
  events.emit(EventTypes.burn, [
    ['burner', burner],
    ['amount', coinsToString(amount)],
  ]);
}
