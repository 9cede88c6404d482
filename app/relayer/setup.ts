/**
 * Finding — or creating — the pair of light clients that joins two zones. Nothing is remembered
 * off-chain: a path is the lowest-numbered pair of active clients that track each other's chain
 * and name each other as counterparty, read from each chain's client list (chain-kinds.ts). Only
 * when there is none does the relayer create two clients (on an ibc-go chain with ibc-go's own
 * MsgCreateClient) and register the pairing, each side with the other's merkle prefix.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Logger } from 'pino';
import { QueryClientStatusRequest, QueryClientStatusResponse } from 'cosmjs-types/ibc/core/client/v1/query';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { Ics23ProofSpec } from '../ics23/index.js';
import { durationFromSeconds, revisionNumberOf } from '../../modules/ibc/light-clients/07-tendermint/index.js';
import { ProofSpec as CosmjsProofSpec } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { ProofSpec } from '../../generated/cosmos/ics23/v1/proofs.js';
import { ClientState } from '../../generated/ibc/lightclients/tendermint/v1/tendermint.js';
import { MsgCreateClient } from '../../generated/parazone/ibc/v1/tx.js';
import { IbcTypeUrls } from '../../modules/ibc/index.js';
import { listClients, merklePrefixOf, proofSpecsOf } from './chain-kinds.js';
import { createdClientId, ibcgoCreateClientMsg } from './ibcgo-chain.js';
import type { ZoneClient } from './zone-client.js';

/** The two ends of a path: on each zone, the client that tracks the other. */
export interface PathEnds {
  readonly clientOnA: string;
  readonly clientOnB: string;
}

const clients = listClients;

async function isActive(zone: ZoneClient, clientId: string): Promise<boolean> {
  const res = await zone.query('/ibc.core.client.v1.Query/ClientStatus', QueryClientStatusRequest, QueryClientStatusResponse, { clientId });
  return res.status === 'Active';
}

/** The existing path between the zones, if both sides are paired and active. */
export async function findPath(a: ZoneClient, b: ZoneClient): Promise<PathEnds | undefined> {
  const onA = await clients(a);
  const onB = await clients(b);
  for (const ca of onA) {
    if (ca.chainId !== b.chainId || ca.frozen || ca.counterpartyClientId === '') continue;
    const cb = onB.find((c) => c.clientId === ca.counterpartyClientId);
    if (cb === undefined || cb.chainId !== a.chainId || cb.frozen || cb.counterpartyClientId !== ca.clientId) continue;
    if ((await isActive(a, ca.clientId)) && (await isActive(b, cb.clientId))) return { clientOnA: ca.clientId, clientOnB: cb.clientId };
  }
  return undefined;
}

/** The tendermint client state of a client of `chainId` (whose store proofs follow `proofSpecs`) at `latestHeight`. */
export function clientState(
  chainId: string,
  trustingPeriodSeconds: number,
  proofSpecs: readonly Ics23ProofSpec[],
  latestHeight = 0n,
): ClientState {
  return {
    chainId,
    trustLevel: { numerator: 1n, denominator: 3n },
    trustingPeriod: durationFromSeconds(BigInt(trustingPeriodSeconds)),
    // ibc-go wants trusting < unbonding; Parazone zones have no unbonding, so 3/2 of trusting
    // (an SDK chain's default 21 days against the default 14-day trusting period).
    unbondingPeriod: durationFromSeconds((BigInt(trustingPeriodSeconds) * 3n) / 2n),
    maxClockDrift: durationFromSeconds(10n),
    latestHeight: { revisionNumber: revisionNumberOf(chainId), revisionHeight: latestHeight },
    frozenHeight: { revisionNumber: 0n, revisionHeight: 0n },
    // Re-read with the generated codec, which (unlike cosmjs-types') carries the prehash flag.
    proofSpecs: proofSpecs.map((spec) => ({
      ...ProofSpec.decode(CosmjsProofSpec.encode(spec).finish()),
      prehashKeyBeforeComparison: spec.prehashKeyBeforeComparison ?? false,
    })),
    upgradePath: [],
    allowUpdateAfterExpiry: false,
    allowUpdateAfterMisbehaviour: false,
  };
}

/** Our MsgCreateClient's client_params: the client state without a height (the header gives it). */
export function clientParams(
  chainId: string,
  trustingPeriodSeconds: number,
  proofSpecs: readonly Ics23ProofSpec[] = proofSpecsOf('parazone'),
): Uint8Array {
  const cs = clientState(chainId, trustingPeriodSeconds, proofSpecs);
  return ClientState.encode({ ...cs, latestHeight: { revisionNumber: 0n, revisionHeight: 0n } }).finish();
}

/** A MsgCreateClient on `host` tracking `of`, from `of`'s latest header. */
export async function createClientMsg(host: ZoneClient, of: ZoneClient, trustingPeriodSeconds: number): Promise<EncodeObject> {
  const height = await of.latestHeight();
  const specs = proofSpecsOf(of.config.kind);
  if (host.config.kind === 'ibc-go')
    return ibcgoCreateClientMsg(host, clientState(of.chainId, trustingPeriodSeconds, specs, BigInt(height)), of, height);
  const signedHeader = await of.signedHeader(height);
  const validatorSet = await of.validatorSet(height);
  return {
    typeUrl: IbcTypeUrls.createClient,
    value: MsgCreateClient.fromPartial({
      clientParams: Buffer.from(clientParams(of.chainId, trustingPeriodSeconds, specs)),
      signedHeader: Buffer.from(SignedHeader.encode(signedHeader).finish()),
      validatorSet: Buffer.from(ValidatorSet.encode(validatorSet).finish()),
      signer: host.address,
    }),
  };
}

async function createClient(host: ZoneClient, of: ZoneClient, trustingPeriodSeconds: number): Promise<string> {
  const res = await host.submit([await createClientMsg(host, of, trustingPeriodSeconds)]);
  if (res.code !== 0) throw new Error(`creating a client of ${of.chainId} on ${host.chainId} failed: ${res.log}`);
  if (host.config.kind === 'ibc-go') {
    const id = createdClientId(res);
    if (id === undefined)
      throw new Error(`client of ${of.chainId} created on ${host.chainId} at height ${res.height} but its create_client event is missing`);
    return id;
  }
  // The tx result's data is not in the broadcast response; read the new id back from the chain.
  const mine = (await clients(host)).filter((c) => c.chainId === of.chainId && c.creator === host.address && c.counterpartyClientId === '');
  const id = mine.at(-1)?.clientId;
  if (id === undefined) throw new Error(`client of ${of.chainId} created on ${host.chainId} at height ${res.height} but not found`);
  return id;
}

function registerMsg(host: ZoneClient, of: ZoneClient, clientId: string, counterpartyClientId: string): EncodeObject {
  return {
    typeUrl: IbcTypeUrls.registerCounterparty,
    value: { clientId, counterpartyClientId, counterpartyMerklePrefix: merklePrefixOf(of.config.kind), signer: host.address },
  };
}

/** The path between `a` and `b`: found on the chains, or created (two clients, paired). */
export async function ensurePath(a: ZoneClient, b: ZoneClient, trustingPeriodSeconds: number, log: Logger): Promise<PathEnds> {
  const found = await findPath(a, b);
  if (found) {
    log.info({ ...found, a: a.chainId, b: b.chainId }, 'path found on chain');
    return found;
  }
  log.info({ a: a.chainId, b: b.chainId }, 'no path between the zones; creating clients');
  const [clientOnA, clientOnB] = await Promise.all([createClient(a, b, trustingPeriodSeconds), createClient(b, a, trustingPeriodSeconds)]);
  const [ra, rb] = await Promise.all([
    a.submit([registerMsg(a, b, clientOnA, clientOnB)]),
    b.submit([registerMsg(b, a, clientOnB, clientOnA)]),
  ]);
  if (ra.code !== 0) throw new Error(`registering ${clientOnB} as counterparty of ${clientOnA} on ${a.chainId} failed: ${ra.log}`);
  if (rb.code !== 0) throw new Error(`registering ${clientOnA} as counterparty of ${clientOnB} on ${b.chainId} failed: ${rb.log}`);
  log.info({ clientOnA, clientOnB }, 'path created');
  return { clientOnA, clientOnB };
}
