import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CacheKV } from '../store/cache-kv.js';
import { BasicGasMeter, InfiniteGasMeter, type GasMeter } from '../store/gas.js';
import type { KVStore } from '../store/types.js';
import { Context, type BlockHeader, type ExecMode } from '../types/context.js';
import { ErrOutOfGas, ErrPanic, toChainError, type ChainError } from '../types/errors.js';
import { EventManager, makeEvent, type Event } from '../types/events.js';
import { moduleNameFromTypeUrl } from './router.js';
import type { AnteHandler, DecodedTx } from './tx-types.js';

/** What running one tx produced: the fields of ABCI's ExecTxResult / ResponseCheckTx. */
export interface TxResult {
  code: number;
  codespace: string;
  log: string;
  /** protobuf TxMsgData on success, empty on failure (cosmjs decodes it unconditionally). */
  data: Uint8Array;
  gasWanted: number;
  gasUsed: number;
  events: Event[];
  /** Msg responses (also inside `data`), handy for Simulate's Result. */
  msgResponses: Any[];
}

export interface TxEnv {
  readonly header: BlockHeader;
  readonly mode: ExecMode;
  readonly ante: AnteHandler;
  /** Position in the block (deliver), or -1. */
  readonly txIndex: number;
}

/**
 * Runs one decoded tx against `store` the way the SDK's runTx does:
 * ante on a branch (kept when the messages fail: fee paid, sequence bumped; dropped when the ante
 * fails), then — only in deliver and simulate — every Msg on a second branch that is written only
 * when all of them succeed. Never throws: every failure becomes a result code.
 */
export function runTx(env: TxEnv, tx: DecodedTx, store: KVStore): TxResult {
  const simulate = env.mode === 'simulate';
  const gasWanted = simulate ? 0 : gasLimitOf(tx);
  const gas: GasMeter = simulate ? new InfiniteGasMeter() : new BasicGasMeter(gasWanted);

  const anteStore = new CacheKV(store);
  // CometBFT reads only a recheck's code, so its events are never built.
  const anteEvents = env.mode === 'recheck' ? new DiscardedEvents() : new EventManager();
  const anteCtx = new Context(env.header, env.mode, anteStore, gas, anteEvents, env.txIndex);
  try {
    env.ante(anteCtx, tx, simulate);
  } catch (err) {
    return failure(toChainError(err), gasWanted, gas, [], '');
  }
  anteStore.write();

  if (env.mode === 'check' || env.mode === 'recheck') {
    return success(gasWanted, gas, [...anteEvents.events], []);
  }

  const msgStore = new CacheKV(store);
  const msgEvents: Event[] = [];
  const responses: Any[] = [];
  for (let i = 0; i < tx.msgs.length; i++) {
    const msg = tx.msgs[i]!;
    const events = new EventManager();
    const ctx = anteCtx.with({ root: msgStore, events });
    let response: unknown;
    try {
      response = msg.handler.handle(ctx, msg.value);
    } catch (err) {
      const chainErr = toChainError(err);
      return failure(chainErr, gasWanted, gas, [...anteEvents.events], `failed to execute message; message index: ${i}: `);
    }
    msgEvents.push(...messageEvents(msg.typeUrl, tx.signers[0] ?? '', i, events.events));
    responses.push({
      typeUrl: msg.handler.responseTypeUrl ?? `${msg.typeUrl}Response`,
      value: msg.handler.responseType.encode(response).finish(),
    });
  }
  msgStore.write();
  return success(gasWanted, gas, [...anteEvents.events, ...msgEvents], responses);
}

/** The SDK's per-Msg events: `message{action, sender, module}` first, then the handler's, all with msg_index. */
function messageEvents(typeUrl: string, sender: string, index: number, handlerEvents: readonly Event[]): Event[] {
  const msgIndex = { key: 'msg_index', value: String(index), index: true };
  const attrs: [string, string][] = [['action', typeUrl]];
  if (sender) attrs.push(['sender', sender]);
  const handlerSetsModule = handlerEvents.some((e) => e.attributes.some((a) => a.key === 'module'));
  const moduleName = moduleNameFromTypeUrl(typeUrl);
  if (!handlerSetsModule && moduleName) attrs.push(['module', moduleName]);
  const message = makeEvent('message', attrs);
  return [message, ...handlerEvents].map((e) => ({ type: e.type, attributes: [...e.attributes, msgIndex] }));
}

/** An EventManager that keeps nothing: for a recheck, whose events nobody reads. */
class DiscardedEvents extends EventManager {
  override emit(): void {}
  override emitEvent(): void {}
  override append(): void {}
}

/** Gas limit of the tx, bounded so gas arithmetic stays in safe integers. */
export function gasLimitOf(tx: DecodedTx): number {
  const limit = tx.authInfo.fee?.gasLimit ?? 0n;
  return limit > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(limit);
}

function success(gasWanted: number, gas: GasMeter, events: Event[], responses: Any[]): TxResult {
  const data = responses.length ? TxMsgData.encode(TxMsgData.fromPartial({ msgResponses: responses })).finish() : new Uint8Array();
  return { code: 0, codespace: '', log: '', data, gasWanted, gasUsed: gas.consumed, events, msgResponses: responses };
}

function failure(err: ChainError, gasWanted: number, gas: GasMeter, events: Event[], logPrefix: string): TxResult {
  // An out-of-gas tx reports the limit it hit, as the SDK's GasConsumedToLimit does.
  const gasUsed = ErrOutOfGas.is(err) ? Math.min(gas.consumed, gas.limit) : gas.consumed;
  const log = err.codespace === ErrPanic.codespace ? `panic: ${err.message}` : `${logPrefix}${err.message}`;
  return { code: err.code, codespace: err.codespace, log, data: new Uint8Array(), gasWanted, gasUsed, events, msgResponses: [] };
}

/** A result for a tx that could not even be decoded: no gas, no events. */
export function decodeFailure(err: unknown): TxResult {
  const chainErr = toChainError(err);
  return {
    code: chainErr.code,
    codespace: chainErr.codespace,
    log: chainErr.message,
    data: new Uint8Array(),
    gasWanted: 0,
    gasUsed: 0,
    events: [],
    msgResponses: [],
  };
}
