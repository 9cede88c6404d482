/**
 * The Parazone chain, composed in one place: which modules exist, how their keepers are wired
 * through each other's interfaces, and the order of genesis and of begin/end blockers.
 *
 * A chain builder adds a module without editing this file by passing `extraModules`: each is a
 * factory that receives the core keepers (as interfaces it declares) and returns a Module.
 */
import './codec/cosmjs-types-writer.js'; // exact-size protobuf buffers, see that file
import type { AnteHandler } from './baseapp/tx-types.js';
import { makeChainConfig, type ChainConfig } from './types/chain-config.js';
import type { Module } from './types/module.js';
import { AUTH_MODULE_NAME, createAuthModule } from '../modules/auth/index.js';
import type { AuthKeeper } from '../modules/auth/keeper.js';
import { pubKeyFromAny, signatureLength } from './crypto/account-keys.js';
import { signatureLeaves, type SignatureLeaf } from './crypto/signature-leaves.js';
import type { AnySigItem, SignatureCheck } from './exec/signatures.js';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { makeSignDocBytes } from './crypto/sign-doc.js';
import { makeAminoSignBytes } from './crypto/amino-sign-doc.js';
import { AminoJsonCodec } from './codec/amino-json.js';
import { sha256 } from './crypto/secp256k1.js';
import { createAnteHandler } from '../modules/auth/ante/ante.js';
import { LruSignatureCache, signatureCacheKey, type SignatureCache } from './crypto/signature-cache.js';
import type { Context } from './types/context.js';
import type { DecodedTx } from './baseapp/tx-types.js';
import {
  createTokensModule,
  DEFAULT_BLOCKED_MODULES,
  DEFAULT_MODULE_PERMISSIONS,
  FEE_COLLECTOR,
  TOKENS_MODULE_NAME,
  type TokensKeeper,
} from '../modules/tokens/index.js';
import { createIbcModule, IBC_MODULE_NAME, type IbcKeeper } from '../modules/ibc/index.js';
import { createGovernanceModule, GOVERNANCE_MODULE_NAME, TREASURY_MODULE, type GovernanceKeeper } from '../modules/governance/index.js';
import { createDrugRegistryModule, type DrugRegistryKeeper } from '../modules/drugregistry/index.js';
import { Router } from './baseapp/router.js';

/** The keepers of the core modules, handed to extra modules' factories. */
export interface CoreKeepers {
  readonly config: ChainConfig;
  readonly auth: AuthKeeper;
  readonly tokens: TokensKeeper;
  readonly governance: GovernanceKeeper;
  readonly drugregistry: DrugRegistryKeeper;
  readonly ibc: IbcKeeper;
}

export type ModuleFactory = (keepers: CoreKeepers) => Module;

/** A module whose export builds a block's tx runner in a worker thread (see app/chain-task.ts, app/chain-entry-task.ts). */
export interface ParallelTaskModule {
  readonly url: string;
  readonly exportName: string;
}

export interface ChainSpec {
  readonly config?: ChainConfig;
  /** Modules beyond the core ones, e.g. a third party's; appended after the core modules. */
  readonly extraModules?: readonly ModuleFactory[];
  /**
   * For the parallel executor of a chain with extra modules: where worker threads find a runner
   * that composes this same chain. Rarely needed: without it the workers import the entry script
   * that called runCli(spec) and compose the chain from that spec (app/chain-entry-task.ts); a
   * chain started otherwise (startAppNode from code) runs FinalizeBlock sequentially.
   */
  readonly parallelTaskModule?: ParallelTaskModule;
}

export interface ComposedChain {
  readonly config: ChainConfig;
  readonly modules: readonly Module[];
  readonly ante: AnteHandler;
  readonly keepers: CoreKeepers;
  readonly genesisOrder: readonly string[];
  readonly beginBlockOrder: readonly string[];
  readonly endBlockOrder: readonly string[];
  readonly signatureCache: SignatureCache;
  /** The amino JSON of every Msg of the chain (SIGN_MODE_LEGACY_AMINO_JSON sign docs, cosmjs AminoConverters). */
  readonly aminoJson: AminoJsonCodec;
  /**
   * The signature checks a tx's ante will make (per SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON
   * signature of a signer with an account in state, a multisig's members one by one): the cache key and what to verify (key, sign bytes or their sha256, signature). FinalizeBlock
   * hands the parallel executor's workers those already verified (at CheckTx, or in parallel just
   * before execution), so a signature is checked once per node, off the execution path.
   */
  signatureChecks(ctx: Context, tx: DecodedTx): SignatureCheck[];
  readonly hasExtraModules: boolean;
  readonly parallelTaskModule?: ParallelTaskModule;
}

export function composeChain(spec: ChainSpec = {}): ComposedChain {
  const config = spec.config ?? makeChainConfig();
  const { module: authModule, keeper: auth } = createAuthModule({
    config,
    moduleAccounts: [
      { name: FEE_COLLECTOR },
      { name: TOKENS_MODULE_NAME, permissions: ['minter', 'burner'] },
      { name: GOVERNANCE_MODULE_NAME, permissions: ['burner'] },
      { name: TREASURY_MODULE },
      // Escrows ICS-20 tokens and mints/burns vouchers; never a user's recipient.
      { name: IBC_MODULE_NAME, permissions: ['minter', 'burner'] },
    ],
  });
  const { module: tokensModule, keeper: tokens } = createTokensModule({
    config,
    accounts: auth,
    modulePermissions: { ...DEFAULT_MODULE_PERMISSIONS, [IBC_MODULE_NAME]: ['minter', 'burner'] },
    blockedModules: [...DEFAULT_BLOCKED_MODULES, IBC_MODULE_NAME],
  });
  // Governance executes proposals through the same Msg router as txs; the router is built from the
  // final module list (extra modules included) the first time a proposal needs it.
  let router: Router | undefined;
  const msgRouter = { handler: (typeUrl: string) => (router ??= new Router(modules)).handler(typeUrl) };
  const { module: governanceModule, keeper: governance } = createGovernanceModule({ config, bank: tokens, router: msgRouter });
  const { module: drugModule, keeper: drugregistry } = createDrugRegistryModule({ config });
  const { module: ibcModule, keeper: ibc } = createIbcModule({ config, bank: tokens, drugs: drugregistry });
  const keepers: CoreKeepers = { config, auth, tokens, governance, drugregistry, ibc };
  const signatureCache = new LruSignatureCache(100_000);
  // Built from the final module list (extra modules included), like the router.
  let aminoCodec: AminoJsonCodec | undefined;
  const aminoJson = () =>
    (aminoCodec ??= new AminoJsonCodec(
      (router ??= new Router(modules)).schemas,
      modules.flatMap((m) => m.msgs ?? []),
    ));
  const ante = createAnteHandler({ accounts: auth, fees: tokens, config, signatureCache, aminoJson });

  const core = [authModule, tokensModule, governanceModule, drugModule, ibcModule];
  const extra = (spec.extraModules ?? []).map((factory) => factory(keepers));
  const modules = [...core, ...extra];
  const names = modules.map((m) => m.name);
  // Now, so that a clash of amino names (or one too long) stops the chain from composing.
  aminoJson();
  return {
    config,
    modules,
    ante,
    keepers,
    signatureCache,
    aminoJson: aminoJson(),
    signatureChecks: (ctx, tx) =>
      tx.signers.flatMap((signer, i): SignatureCheck[] => {
        const account = auth.getAccount(ctx, signer);
        const info = tx.authInfo.signerInfos[i];
        const sig = tx.raw.signatures[i];
        if (!account || !info || !sig || auth.isNumberPending(account)) return [];
        // The ante takes the tx's key, else the account's, and reads a multisig's signatures the
        // same way; anything unusual (a malformed or unsupported key, a bad multisig structure a
        // proposer put in a block) is left to the ante, which rejects it.
        let leaves: SignatureLeaf[];
        try {
          const pubkey = pubKeyFromAny(info.publicKey) ?? pubKeyFromAny(account.pubKey);
          leaves = pubkey ? signatureLeaves(pubkey, info.modeInfo, sig) : [];
        } catch {
          return [];
        }
        const { accountNumber } = account;
        const { chainId } = ctx;
        // The sign bytes only matter for a signature not in the cache yet (normally: none, CheckTx
        // verified them all), so they are built on first use, not for every tx of every block.
        // Amino sign bytes take the tx's sequence: the ante refuses the tx unless it is the
        // account's when the tx runs. A tx they cannot be built for (a Msg without an amino name)
        // gets an item that fails, and the ante refuses it with the reason.
        const docs = new Map<SignMode, Uint8Array | undefined>();
        const signDoc = (mode: SignMode): Uint8Array | undefined => {
          if (!docs.has(mode)) {
            let bytes: Uint8Array | undefined;
            try {
              bytes =
                mode === SignMode.SIGN_MODE_DIRECT
                  ? makeSignDocBytes(tx.raw.bodyBytes, tx.raw.authInfoBytes, chainId, accountNumber)
                  : makeAminoSignBytes(tx, aminoJson(), chainId, accountNumber, info.sequence);
            } catch {
              bytes = undefined;
            }
            docs.set(mode, bytes);
          }
          return docs.get(mode);
        };
        return leaves.flatMap((leaf): SignatureCheck[] => {
          const { mode, signature, pubkey } = leaf;
          if (
            (mode !== SignMode.SIGN_MODE_DIRECT && mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON) ||
            signature.length !== signatureLength(pubkey.algo)
          )
            return [];
          const { algo, key } = pubkey;
          return [
            {
              key: signatureCacheKey(tx.hash, i, accountNumber, chainId, leaf.path),
              get item(): AnySigItem {
                const bytes = signDoc(mode);
                if (algo === 'secp256k1') return { pubkey: key, msgHash: bytes ? sha256(bytes) : new Uint8Array(), sig: signature };
                return { algo, pubkey: key, message: bytes ?? new Uint8Array(), sig: signature };
              },
            },
          ];
        });
      }),
    hasExtraModules: extra.length > 0,
    parallelTaskModule: spec.parallelTaskModule,
    // auth first: every other module's genesis may create or credit accounts; tokens before
    // governance, whose genesis checks its escrow balance.
    genesisOrder: names,
    beginBlockOrder: names,
    // auth first: it numbers the accounts the block's txs created, so every later EndBlocker sees
    // numbered accounts. Then tokens: it sweeps the block's fees into the fee collector, so
    // governance then tallies over settled balances.
    endBlockOrder: [
      AUTH_MODULE_NAME,
      TOKENS_MODULE_NAME,
      GOVERNANCE_MODULE_NAME,
      ...names.filter((n) => n !== AUTH_MODULE_NAME && n !== TOKENS_MODULE_NAME && n !== GOVERNANCE_MODULE_NAME),
    ],
  };
}
