import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { GOVERNANCE_ACCOUNT, governanceAuthority } from '../../app/types/authority.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import { type Coin, isValidDenom, validateCoins } from '../../app/types/coins.js';
import { ErrInvalidCoins, ErrUnauthorized } from '../../app/types/errors.js';
import { defineMsg, type MsgHandler } from '../../app/types/module.js';
import {
  MsgBurn,
  MsgBurnResponse,
  MsgMint,
  MsgMintResponse,
  MsgSetDenomMetadata,
  MsgSetDenomMetadataResponse,
  MsgSetSendEnabled,
  MsgSetSendEnabledResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  protobufPackage,
} from '../../generated/parazone/tokens/v1/tx.js';
import { ErrDuplicateEntry, ErrInputOutputMismatch, ErrInvalidMetadata, ErrMultipleSenders, ErrNoInputs, ErrNoOutputs } from './errors.js';
import { addCoinLists, type TokensKeeper } from './keeper.js';
import { MODULE_NAME } from './keys.js';
import { validateMetadata } from './metadata.js';
import { validateParamsForUpdate, validateSendEnabledList } from './params.js';

const ownTypeUrl = (name: string) => `/${protobufPackage}.${name}`;
export const TypeUrls = {
  send: '/cosmos.bank.v1beta1.MsgSend',
  multiSend: '/cosmos.bank.v1beta1.MsgMultiSend',
  mint: ownTypeUrl('MsgMint'),
  burn: ownTypeUrl('MsgBurn'),
  setSendEnabled: ownTypeUrl('MsgSetSendEnabled'),
  updateParams: ownTypeUrl('MsgUpdateParams'),
  setDenomMetadata: ownTypeUrl('MsgSetDenomMetadata'),
} as const;

/** x/bank's `Coins.IsValid() && IsAllPositive()` for a Msg amount: non-empty, sorted, unique, positive. */
function validateAmount(coins: readonly Coin[], what = 'amount'): void {
  if (coins.length === 0) throw ErrInvalidCoins.wrap(`${what} must not be empty`);
  validateCoins(coins);
}

/**
 * The tokens Msgs. Every handler re-runs its validateBasic first, so a Msg routed without it
 * (e.g. from a governance proposal) gets the same checks, and every check happens before any write.
 */
export function tokensMsgs(keeper: TokensKeeper, config: ChainConfig): MsgHandler[] {
  const addresses = config.addresses;
  const authority = governanceAuthority(config);

  const checkAuthority = (given: string) => {
    addresses.decode(given, 'authority');
    if (given !== authority) throw ErrUnauthorized.wrap(`invalid authority; expected ${authority}, got ${given}`);
  };

  const send = defineMsg<MsgSend, MsgSendResponse>({
    typeUrl: TypeUrls.send,
    aminoName: 'cosmos-sdk/MsgSend',
    type: MsgSend,
    responseType: MsgSendResponse,
    signers: (msg) => [msg.fromAddress],
    validateBasic(msg) {
      addresses.decode(msg.fromAddress, 'from address');
      addresses.decode(msg.toAddress, 'to address');
      validateAmount(msg.amount);
    },
    handle(ctx, msg) {
      send.validateBasic!(msg);
      keeper.assertSendEnabled(ctx, msg.amount);
      keeper.assertNotBlocked(msg.toAddress);
      keeper.sendCoins(ctx, msg.fromAddress, msg.toAddress, msg.amount);
      return {};
    },
  });

  const multiSend = defineMsg<MsgMultiSend, MsgMultiSendResponse>({
    typeUrl: TypeUrls.multiSend,
    aminoName: 'cosmos-sdk/MsgMultiSend',
    type: MsgMultiSend,
    responseType: MsgMultiSendResponse,
    signers: (msg) => msg.inputs.map((input) => input.address),
    validateBasic(msg) {
      // Single input only, as x/bank since PR #12610.
      if (msg.inputs.length === 0) throw ErrNoInputs.wrap();
      if (msg.inputs.length !== 1) throw ErrMultipleSenders.wrap();
      if (msg.outputs.length === 0) throw ErrNoOutputs.wrap();
      const input = msg.inputs[0]!;
      addresses.decode(input.address, 'input address');
      validateAmount(input.coins, 'input coins');
      let total: Coin[] = [];
      for (const out of msg.outputs) {
        addresses.decode(out.address, 'output address');
        validateAmount(out.coins, 'output coins');
        total = addCoinLists(total, out.coins);
      }
      const same =
        total.length === input.coins.length &&
        total.every((c, i) => c.denom === input.coins[i]!.denom && BigInt(c.amount) === BigInt(input.coins[i]!.amount));
      if (!same) throw ErrInputOutputMismatch.wrap();
    },
    handle(ctx, msg) {
      multiSend.validateBasic!(msg);
      const input = msg.inputs[0]!;
      keeper.assertSendEnabled(ctx, input.coins);
      for (const out of msg.outputs) keeper.assertNotBlocked(out.address);
      keeper.inputOutputCoins(ctx, input, msg.outputs);
      return {};
    },
  });

  const mint = defineMsg<MsgMint, MsgMintResponse>({
    typeUrl: TypeUrls.mint,
    aminoName: 'parazone/tokens/MsgMint',
    type: MsgMint,
    responseType: MsgMintResponse,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      addresses.decode(msg.authority, 'authority');
      addresses.decode(msg.recipient, 'recipient');
      validateAmount(msg.amount);
    },
    /** Mints into the tokens module account, then sends to the recipient (tokenfactory's pattern). */
    handle(ctx, msg) {
      mint.validateBasic!(msg);
      checkAuthority(msg.authority);
      keeper.assertNotBlocked(msg.recipient);
      keeper.mintCoins(ctx, MODULE_NAME, msg.amount);
      keeper.sendCoinsFromModuleToAccount(ctx, MODULE_NAME, msg.recipient, msg.amount);
      return {};
    },
  });

  const burn = defineMsg<MsgBurn, MsgBurnResponse>({
    typeUrl: TypeUrls.burn,
    aminoName: 'parazone/tokens/MsgBurn',
    type: MsgBurn,
    responseType: MsgBurnResponse,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      addresses.decode(msg.authority, 'authority');
      validateAmount(msg.amount);
    },
    /** Burns from the authority's own (governance) account, or from `fromModule`'s account. */
    handle(ctx, msg) {
      burn.validateBasic!(msg);
      checkAuthority(msg.authority);
      keeper.burnCoins(ctx, msg.fromModule === '' ? GOVERNANCE_ACCOUNT : msg.fromModule, msg.amount);
      return {};
    },
  });

  const setSendEnabled = defineMsg<MsgSetSendEnabled, MsgSetSendEnabledResponse>({
    typeUrl: TypeUrls.setSendEnabled,
    aminoName: 'parazone/tokens/MsgSetSendEnabled',
    type: MsgSetSendEnabled,
    responseType: MsgSetSendEnabledResponse,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      addresses.decode(msg.authority, 'authority');
      validateSendEnabledList(msg.sendEnabled);
      const set = new Set(msg.sendEnabled.map((e) => e.denom));
      const reset = new Set<string>();
      for (const denom of msg.useDefaultFor) {
        if (!isValidDenom(denom)) throw ErrInvalidCoins.wrap(`use_default_for: invalid denom "${denom}"`);
        if (reset.has(denom)) throw ErrDuplicateEntry.wrap(`duplicate denom entries found for "${denom}"`);
        if (set.has(denom)) throw ErrDuplicateEntry.wrap(`denom "${denom}" is in both send_enabled and use_default_for`);
        reset.add(denom);
      }
    },
    handle(ctx, msg) {
      setSendEnabled.validateBasic!(msg);
      checkAuthority(msg.authority);
      for (const entry of msg.sendEnabled) keeper.setSendEnabled(ctx, entry.denom, entry.enabled);
      for (const denom of msg.useDefaultFor) keeper.deleteSendEnabled(ctx, denom);
      return {};
    },
  });

  const updateParams = defineMsg<MsgUpdateParams, MsgUpdateParamsResponse>({
    typeUrl: TypeUrls.updateParams,
    aminoName: 'parazone/tokens/MsgUpdateParams',
    type: MsgUpdateParams,
    responseType: MsgUpdateParamsResponse,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      addresses.decode(msg.authority, 'authority');
      validateParamsForUpdate(msg.params);
    },
    handle(ctx, msg) {
      updateParams.validateBasic!(msg);
      checkAuthority(msg.authority);
      keeper.setParams(ctx, msg.params!);
      return {};
    },
  });

  const setDenomMetadata = defineMsg<MsgSetDenomMetadata, MsgSetDenomMetadataResponse>({
    typeUrl: TypeUrls.setDenomMetadata,
    aminoName: 'parazone/tokens/MsgSetDenomMetadata',
    type: MsgSetDenomMetadata,
    responseType: MsgSetDenomMetadataResponse,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      addresses.decode(msg.authority, 'authority');
      if (msg.metadata === undefined) throw ErrInvalidMetadata.wrap('metadata must be set');
      validateMetadata(msg.metadata);
    },
    handle(ctx, msg) {
      setDenomMetadata.validateBasic!(msg);
      checkAuthority(msg.authority);
      keeper.setDenomMetadata(ctx, msg.metadata!);
      return {};
    },
  });

  return [send, multiSend, mint, burn, setSendEnabled, updateParams, setDenomMetadata];
}
