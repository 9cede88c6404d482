import {
  QueryAccountAddressByIDRequest,
  QueryAccountAddressByIDResponse,
  QueryAccountInfoRequest,
  QueryAccountInfoResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  Bech32PrefixRequest,
  Bech32PrefixResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryModuleAccountsRequest,
  QueryModuleAccountsResponse,
  QueryParamsRequest as CosmosQueryParamsRequest,
  QueryParamsResponse as CosmosQueryParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { ErrInvalidRequest, ErrKeyNotFound } from '../../app/types/errors.js';
import { defineQuery, type QueryHandler } from '../../app/types/module.js';
import { QueryParamsRequest, QueryParamsResponse } from '../../generated/parazone/auth/v1/query.js';
import { MODULE_ACCOUNT_TYPE_URL, type AuthKeeper } from './keeper.js';
import { toCosmosParams } from './params.js';

/**
 * A gRPC NotFound as the SDK reports it through ABCI Query: codespace "sdk", code 22, log
 * "rpc error: code = NotFound desc = …: key not found". cosmjs's `getAccount` returns null only
 * when the log matches /rpc error: code = NotFound/.
 */
function notFound(what: string) {
  return ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = ${what}`);
}

function requireAddress(address: string): void {
  if (!address) throw ErrInvalidRequest.wrap('rpc error: code = InvalidArgument desc = Address cannot be empty');
}

/** The cosmos.auth.v1beta1.Query methods stock cosmjs and explorers call, plus our Params query. */
export function authQueries(keeper: AuthKeeper): QueryHandler[] {
  return [
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/Account',
      requestType: QueryAccountRequest,
      responseType: QueryAccountResponse,
      handle(ctx, req) {
        requireAddress(req.address);
        const account = keeper.getAccountAny(ctx, req.address);
        if (!account) throw notFound(`account ${req.address} not found`);
        return { account };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/Accounts',
      requestType: QueryAccountsRequest,
      responseType: QueryAccountsResponse,
      handle(ctx, req) {
        const page = keeper.paginateAccounts(ctx, req.pagination);
        return { accounts: page.items, pagination: page.pagination };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/AccountInfo',
      requestType: QueryAccountInfoRequest,
      responseType: QueryAccountInfoResponse,
      handle(ctx, req) {
        requireAddress(req.address);
        const info = keeper.getAccount(ctx, req.address);
        if (!info) throw notFound(`account ${req.address} not found`);
        return { info };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/AccountAddressByID',
      requestType: QueryAccountAddressByIDRequest,
      responseType: QueryAccountAddressByIDResponse,
      handle(ctx, req) {
        if (req.id !== 0n) {
          throw ErrInvalidRequest.wrap(
            "rpc error: code = InvalidArgument desc = requesting with id isn't supported, try to request using account-id",
          );
        }
        const accountAddress = keeper.getAddressByNumber(ctx, req.accountId);
        if (!accountAddress) throw notFound(`account address not found with account number ${req.accountId}`);
        return { accountAddress };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/Params',
      requestType: CosmosQueryParamsRequest,
      responseType: CosmosQueryParamsResponse,
      handle(ctx) {
        return { params: toCosmosParams(keeper.getParams(ctx)) };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/ModuleAccounts',
      requestType: QueryModuleAccountsRequest,
      responseType: QueryModuleAccountsResponse,
      handle(ctx) {
        // Sorted by name, as the SDK answers.
        return { accounts: keeper.allModuleAccounts(ctx).map((a) => a.any) };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/ModuleAccountByName',
      requestType: QueryModuleAccountByNameRequest,
      responseType: QueryModuleAccountByNameResponse,
      handle(ctx, req) {
        if (!req.name) throw ErrInvalidRequest.wrap('rpc error: code = InvalidArgument desc = module name is empty');
        const account = keeper.findModuleAccount(ctx, req.name);
        if (!account) throw notFound(`account ${req.name} not found`);
        return { account: { typeUrl: MODULE_ACCOUNT_TYPE_URL, value: ModuleAccount.encode(account).finish() } };
      },
    }),
    defineQuery({
      path: '/cosmos.auth.v1beta1.Query/Bech32Prefix',
      requestType: Bech32PrefixRequest,
      responseType: Bech32PrefixResponse,
      handle() {
        return { bech32Prefix: keeper.config.bech32Prefix };
      },
    }),
    defineQuery({
      path: '/parazone.auth.v1.Query/Params',
      requestType: QueryParamsRequest,
      responseType: QueryParamsResponse,
      handle(ctx) {
        return { params: keeper.getParams(ctx) };
      },
    }),
  ];
}
