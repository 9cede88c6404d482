import { bytesEqual } from '../../app/store/bytes.js';
import { ML_DSA_PUBKEY_TYPE_URL, MULTISIG_PUBKEY_TYPE_URL, pubKeyAddressBytes, type AccountPubKey } from '../../app/crypto/account-keys.js';
import { isValidSecp256k1PubKey } from '../../app/crypto/secp256k1.js';
import { secp256k1PubKeyToAddressBytes } from '../../app/types/address.js';
import type { Context } from '../../app/types/context.js';
import { ChainError } from '../../app/types/errors.js';
import type { GenesisHandler } from '../../app/types/module.js';
import { GenesisState } from '../../generated/parazone/auth/v1/genesis.js';
import { PubKey as MlDsaPubKey } from '../../generated/parazone/crypto/mldsa/v1/keys.js';
import { UNASSIGNED_ACCOUNT_NUMBER } from './account-numbers.js';
import { ErrInvalidGenesis } from './errors.js';
import { pubKeyFromAny, pubKeyToAny, type AuthKeeper } from './keeper.js';
import { defaultParams, validateParams } from './params.js';

export { GenesisState };

const MODULE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Genesis of the auth module: params, user accounts, module accounts.
 *
 * Numbering: a hand-written genesis lists accounts without numbers; they get 0, 1, 2, … in list
 * order, then the listed module accounts, then the module accounts the app configures but the
 * genesis does not list. An exported genesis carries every number, so importing it keeps signatures
 * valid; later accounts continue after the highest imported number (account-numbers.ts).
 */
export function authGenesis(keeper: AuthKeeper): GenesisHandler<GenesisState> {
  const addresses = keeper.config.addresses;
  return {
    /** JSON, as it appears in genesis.json's app_state.auth. */
    defaultGenesis() {
      return GenesisState.toJSON({ params: defaultParams(keeper.config.bondDenom), accounts: [], moduleAccounts: [] }) as GenesisState;
    },

    validate(json) {
      let genesis: GenesisState;
      try {
        genesis = GenesisState.fromJSON(json ?? {});
      } catch (err) {
        throw ErrInvalidGenesis.wrap(`auth genesis does not parse: ${(err as Error).message}`);
      }
      const fail = (what: string): never => {
        throw ErrInvalidGenesis.wrap(what);
      };
      const params = genesis.params ?? defaultParams(keeper.config.bondDenom);
      try {
        validateParams(params);
      } catch (err) {
        fail(`params: ${(err as Error).message}`);
      }

      const numbered = [...genesis.accounts, ...genesis.moduleAccounts].filter((a) => a.accountNumber !== undefined).length;
      const total = genesis.accounts.length + genesis.moduleAccounts.length;
      if (numbered !== 0 && numbered !== total) {
        fail('account_number must be set on every account and module account, or on none');
      }
      const seenAddresses = new Set<string>();
      const seenNumbers = new Set<bigint>();
      const claim = (addressHex: string, what: string, accountNumber: bigint | undefined) => {
        if (seenAddresses.has(addressHex)) fail(`${what} is listed twice`);
        seenAddresses.add(addressHex);
        if (accountNumber !== undefined) {
          if (accountNumber >= UNASSIGNED_ACCOUNT_NUMBER || accountNumber < 0n)
            fail(`${what}: account_number ${accountNumber} is out of range`);
          if (seenNumbers.has(accountNumber)) fail(`${what}: account_number ${accountNumber} is used twice`);
          seenNumbers.add(accountNumber);
        }
      };

      genesis.accounts.forEach((account, i) => {
        const what = `accounts[${i}] (${account.address})`;
        let bytes: Uint8Array;
        try {
          bytes = addresses.decode(account.address, `accounts[${i}].address`);
        } catch (err) {
          return fail((err as ChainError).message);
        }
        if (keeper.moduleNameOf(account.address) !== undefined) fail(`${what} is the address of a module account`);
        if (account.sequence < 0n || account.sequence >= 1n << 64n) fail(`${what}: sequence ${account.sequence} is out of range`);
        claim(hex(bytes), what, account.accountNumber);
        if (account.pubKey.length > 0) {
          if (account.mlDsaPubKey) fail(`${what}: set pub_key or ml_dsa_pub_key, not both`);
          if (!isValidSecp256k1PubKey(account.pubKey)) fail(`${what}: pub_key is not a 33-byte compressed secp256k1 key`);
          if (!bytesEqual(secp256k1PubKeyToAddressBytes(account.pubKey), bytes)) fail(`${what}: pub_key does not match the address`);
        }
        if (account.mlDsaPubKey) {
          let pubkey: AccountPubKey | undefined;
          try {
            pubkey = pubKeyFromAny({ typeUrl: ML_DSA_PUBKEY_TYPE_URL, value: MlDsaPubKey.encode(account.mlDsaPubKey).finish() });
          } catch (err) {
            return fail(`${what}: ml_dsa_pub_key: ${(err as ChainError).message}`);
          }
          if (!bytesEqual(pubKeyAddressBytes(pubkey!), bytes)) fail(`${what}: ml_dsa_pub_key does not match the address`);
        }
        if (account.multisigPubKey.length > 0) {
          if (account.pubKey.length > 0 || account.mlDsaPubKey) fail(`${what}: set one of pub_key, ml_dsa_pub_key and multisig_pub_key`);
          let pubkey: AccountPubKey | undefined;
          try {
            pubkey = pubKeyFromAny({ typeUrl: MULTISIG_PUBKEY_TYPE_URL, value: account.multisigPubKey });
          } catch (err) {
            return fail(`${what}: multisig_pub_key: ${(err as ChainError).message}`);
          }
          if (!bytesEqual(pubKeyAddressBytes(pubkey!), bytes)) fail(`${what}: multisig_pub_key does not match the address`);
        }
      });

      genesis.moduleAccounts.forEach((module, i) => {
        const what = `module_accounts[${i}] (${module.name})`;
        if (!MODULE_NAME.test(module.name)) fail(`${what}: name must be lower-case letters, digits or "_"`);
        const configured = keeper.modulePermissions(module.name);
        if (configured && !samePermissions(configured, module.permissions)) {
          fail(`${what}: permissions [${module.permissions.join(', ')}] differ from the app's [${configured.join(', ')}]`);
        }
        claim(hex(addresses.decode(keeper.moduleAddress(module.name))), what, module.accountNumber);
      });
      return { params, accounts: genesis.accounts, moduleAccounts: genesis.moduleAccounts };
    },

    init(ctx: Context, genesis: GenesisState) {
      keeper.setParams(ctx, genesis.params ?? defaultParams(keeper.config.bondDenom));
      for (const account of genesis.accounts) {
        const pubKey =
          account.pubKey.length > 0
            ? pubKeyToAny({ algo: 'secp256k1', key: account.pubKey })
            : account.mlDsaPubKey
              ? { typeUrl: ML_DSA_PUBKEY_TYPE_URL, value: MlDsaPubKey.encode(account.mlDsaPubKey).finish() }
              : account.multisigPubKey.length > 0
                ? pubKeyToAny(pubKeyFromAny({ typeUrl: MULTISIG_PUBKEY_TYPE_URL, value: account.multisigPubKey })!)
                : undefined;
        keeper.importAccount(ctx, { address: account.address, pubKey, sequence: account.sequence }, account.accountNumber);
      }
      for (const module of genesis.moduleAccounts) {
        keeper.createModuleAccount(ctx, module.name, module.permissions, module.accountNumber);
      }
      for (const spec of keeper.moduleAccountSpecs) keeper.getModuleAccount(ctx, spec.name);
    },

    /** JSON (GenesisState.toJSON), ready for genesis.json; `validate` reads it back. */
    export(ctx: Context) {
      const accounts: GenesisState['accounts'] = [];
      for (const stored of keeper.iterateAccounts(ctx)) {
        if (stored.module) continue;
        const { base } = stored;
        const pubkey = pubKeyFromAny(base.pubKey);
        accounts.push({
          address: base.address,
          accountNumber: base.accountNumber,
          sequence: base.sequence,
          pubKey: Buffer.from(pubkey?.algo === 'secp256k1' ? pubkey.key : new Uint8Array()),
          mlDsaPubKey:
            pubkey && pubkey.algo !== 'secp256k1' && pubkey.algo !== 'multisig' ? MlDsaPubKey.decode(base.pubKey!.value) : undefined,
          multisigPubKey: Buffer.from(pubkey?.algo === 'multisig' ? pubKeyToAny(pubkey).value : new Uint8Array()),
        });
      }
      const moduleAccounts = keeper.allModuleAccounts(ctx).map((stored) => ({
        name: stored.module!.name,
        permissions: [...stored.module!.permissions],
        accountNumber: stored.base.accountNumber,
      }));
      return GenesisState.toJSON({ params: keeper.getParams(ctx), accounts, moduleAccounts }) as GenesisState;
    },
  };
}

function samePermissions(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((p, i) => p === y[i]);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
