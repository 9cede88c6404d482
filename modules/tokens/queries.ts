import { Metadata as BankMetadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomOwnersRequest,
  QueryDenomOwnersResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySendEnabledRequest,
  QuerySendEnabledResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { ChainConfig } from '../../app/types/chain-config.js';
import { validateDenom } from '../../app/types/coins.js';
import { ErrInvalidAddress, ErrNotFound } from '../../app/types/errors.js';
import { defineQuery, type QueryHandler } from '../../app/types/module.js';
import { paginate } from '../../app/types/pagination.js';
import { Metadata } from '../../generated/parazone/tokens/v1/tokens.js';
import type { TokensKeeper } from './keeper.js';
import { accountBalancesPrefix, denomFromKey, denomMetadataPrefix, denomOwnersPrefix, sendEnabledPrefix, supplyPrefix } from './keys.js';

const BANK = '/cosmos.bank.v1beta1.Query';
const decodeAmount = (value: Uint8Array) => new TextDecoder().decode(value);
const toBankMetadata = (m: Metadata) => BankMetadata.fromPartial(m);

/** The x/bank query service on the paths cosmjs's bank extension calls, with cosmjs-types codecs. */
export function tokensQueries(keeper: TokensKeeper, config: ChainConfig): QueryHandler[] {
  const decodeAddress = (address: string) => {
    if (address === '') throw ErrInvalidAddress.wrap('address cannot be empty');
    return config.addresses.decode(address);
  };

  return [
    defineQuery<QueryBalanceRequest, QueryBalanceResponse>({
      path: `${BANK}/Balance`,
      requestType: QueryBalanceRequest,
      responseType: QueryBalanceResponse,
      // Always answers with a coin (amount "0" when none): cosmjs asserts `balance` is present.
      handle(ctx, req) {
        decodeAddress(req.address);
        validateDenom(req.denom);
        return { balance: { denom: req.denom, amount: keeper.getBalance(ctx, req.address, req.denom).toString() } };
      },
    }),
    defineQuery<QueryAllBalancesRequest, QueryAllBalancesResponse>({
      path: `${BANK}/AllBalances`,
      requestType: QueryAllBalancesRequest,
      responseType: QueryAllBalancesResponse,
      handle(ctx, req) {
        const prefix = accountBalancesPrefix(decodeAddress(req.address));
        const page = paginate(keeper.reader(ctx), prefix, req.pagination, (key, value) => ({
          denom: denomFromKey(key),
          amount: decodeAmount(value),
        }));
        return { balances: page.items, pagination: page.pagination };
      },
    }),
    defineQuery<QueryTotalSupplyRequest, QueryTotalSupplyResponse>({
      path: `${BANK}/TotalSupply`,
      requestType: QueryTotalSupplyRequest,
      responseType: QueryTotalSupplyResponse,
      handle(ctx, req) {
        const page = paginate(keeper.reader(ctx), supplyPrefix, req.pagination, (key, value) => ({
          denom: denomFromKey(key),
          amount: decodeAmount(value),
        }));
        return { supply: page.items, pagination: page.pagination };
      },
    }),
    defineQuery<QuerySupplyOfRequest, QuerySupplyOfResponse>({
      path: `${BANK}/SupplyOf`,
      requestType: QuerySupplyOfRequest,
      responseType: QuerySupplyOfResponse,
      handle(ctx, req) {
        validateDenom(req.denom);
        return { amount: { denom: req.denom, amount: keeper.getSupply(ctx, req.denom).toString() } };
      },
    }),
    defineQuery<QueryDenomMetadataRequest, QueryDenomMetadataResponse>({
      path: `${BANK}/DenomMetadata`,
      requestType: QueryDenomMetadataRequest,
      responseType: QueryDenomMetadataResponse,
      handle(ctx, req) {
        validateDenom(req.denom);
        const metadata = keeper.getDenomMetadata(ctx, req.denom);
        if (metadata === undefined) throw ErrNotFound.wrap(`client metadata for denom ${req.denom}`);
        return { metadata: toBankMetadata(metadata) };
      },
    }),
    defineQuery<QueryDenomsMetadataRequest, QueryDenomsMetadataResponse>({
      path: `${BANK}/DenomsMetadata`,
      requestType: QueryDenomsMetadataRequest,
      responseType: QueryDenomsMetadataResponse,
      handle(ctx, req) {
        const page = paginate(keeper.reader(ctx), denomMetadataPrefix, req.pagination, (_key, value) =>
          toBankMetadata(Metadata.decode(value)),
        );
        return { metadatas: page.items, pagination: page.pagination };
      },
    }),
    defineQuery<QueryDenomOwnersRequest, QueryDenomOwnersResponse>({
      path: `${BANK}/DenomOwners`,
      requestType: QueryDenomOwnersRequest,
      responseType: QueryDenomOwnersResponse,
      // Holders of a denom (non-zero balances), ordered by address bytes, from the reverse index.
      handle(ctx, req) {
        validateDenom(req.denom);
        const page = paginate(keeper.reader(ctx), denomOwnersPrefix(req.denom), req.pagination, (key) => {
          const address = config.addresses.encode(key);
          return { address, balance: { denom: req.denom, amount: keeper.getBalance(ctx, address, req.denom).toString() } };
        });
        return { denomOwners: page.items, pagination: page.pagination };
      },
    }),
    defineQuery<QueryParamsRequest, QueryParamsResponse>({
      path: `${BANK}/Params`,
      requestType: QueryParamsRequest,
      responseType: QueryParamsResponse,
      handle(ctx) {
        const params = keeper.getParams(ctx);
        return { params: { sendEnabled: [], defaultSendEnabled: params.defaultSendEnabled } };
      },
    }),
    defineQuery<QuerySendEnabledRequest, QuerySendEnabledResponse>({
      path: `${BANK}/SendEnabled`,
      requestType: QuerySendEnabledRequest,
      responseType: QuerySendEnabledResponse,
      // As x/bank: with denoms, only those that have their own entry; without, every entry, paginated.
      handle(ctx, req) {
        if (req.denoms.length > 0) {
          const sendEnabled = [];
          for (const denom of req.denoms) {
            const enabled = keeper.getSendEnabledEntry(ctx, denom);
            if (enabled !== undefined) sendEnabled.push({ denom, enabled });
          }
          return { sendEnabled, pagination: undefined };
        }
        const page = paginate(keeper.reader(ctx), sendEnabledPrefix, req.pagination, (key, value) => ({
          denom: denomFromKey(key),
          enabled: value[0] === 1,
        }));
        return { sendEnabled: page.items, pagination: page.pagination };
      },
    }),
  ];
}
