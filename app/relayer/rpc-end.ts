/**
 * The real chain end: a ZoneClient (CometBFT RPC, the relayer key) read the way its kind wants
 * (chain-kinds.ts: our `/parazone.ibc.v1.Query/*` on a zone, ibc-go's queries and events on an
 * ibc-go chain).
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { QueryUnreceivedPacketsRequest, QueryUnreceivedPacketsResponse } from 'cosmjs-types/ibc/core/channel/v2/query';
import { QueryClientStateRequest, QueryClientStateResponse } from 'cosmjs-types/ibc/core/client/v1/query';
import { ClientState } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { ChainEnd, SubmitResult } from './chain-end.js';
import { pendingPackets, writtenAcknowledgement } from './chain-kinds.js';
import type { ZoneClient } from './zone-client.js';

export class RpcChainEnd implements ChainEnd {
  constructor(readonly zone: ZoneClient) {}

  get chainId(): string {
    return this.zone.chainId;
  }

  get address(): string {
    return this.zone.address;
  }

  latestHeight(): Promise<number> {
    return this.zone.latestHeight();
  }

  async latestTimeSeconds(): Promise<bigint> {
    const status = await this.zone.comet.status();
    return BigInt(Math.floor(status.syncInfo.latestBlockTime.getTime() / 1000));
  }

  signedHeader(height: number): Promise<SignedHeader> {
    return this.zone.signedHeader(height);
  }

  validatorSet(height: number): Promise<ValidatorSet> {
    return this.zone.validatorSet(height);
  }

  pendingPackets(clientId: string, height: number): Promise<Packet[]> {
    return pendingPackets(this.zone, clientId, height);
  }

  async unreceivedPackets(clientId: string, sequences: bigint[], height: number): Promise<Set<bigint>> {
    const res = await this.zone.query(
      '/ibc.core.channel.v2.Query/UnreceivedPackets',
      QueryUnreceivedPacketsRequest,
      QueryUnreceivedPacketsResponse,
      { clientId, sequences },
      height,
    );
    return new Set(res.sequences);
  }

  writtenAcknowledgement(clientId: string, sequence: bigint, height: number): Promise<Acknowledgement | undefined> {
    return writtenAcknowledgement(this.zone, clientId, sequence, height);
  }

  async clientLatestHeight(clientId: string): Promise<number> {
    const res = await this.zone.query('/ibc.core.client.v1.Query/ClientState', QueryClientStateRequest, QueryClientStateResponse, {
      clientId,
    });
    return Number(ClientState.decode(res.clientState!.value).latestHeight.revisionHeight);
  }

  prove(key: Uint8Array, height: number): Promise<{ proof: Uint8Array }> {
    return this.zone.prove(key, height);
  }

  submit(msgs: EncodeObject[]): Promise<SubmitResult> {
    return this.zone.submit(msgs);
  }
}
