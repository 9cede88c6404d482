/**
 * cosmjs's SigningStargateClient with one change: `broadcastTx` (which `signAndBroadcast` uses)
 * leaves no timer behind. cosmjs 0.38 arms its 60 s poll timeout before broadcasting and clears it
 * only when polling ends, so a tx that CheckTx refuses leaves that timer pending, and a process
 * that is otherwise done (a CLI call, a relayer run once, a Jest worker) stays alive until it fires.
 */
import type { OfflineSigner } from '@cosmjs/proto-signing';
import { SigningStargateClient, TimeoutError, type DeliverTxResponse, type SigningStargateClientOptions } from '@cosmjs/stargate';
import { connectComet, type CometClient, type HttpEndpoint } from '@cosmjs/tendermint-rpc';

export class SigningClient extends SigningStargateClient {
  static override async connectWithSigner(
    endpoint: string | HttpEndpoint,
    signer: OfflineSigner,
    options: SigningStargateClientOptions = {},
  ): Promise<SigningClient> {
    return new SigningClient(await connectComet(endpoint), signer, options);
  }

  static override createWithSigner(comet: CometClient, signer: OfflineSigner, options: SigningStargateClientOptions = {}): SigningClient {
    return new SigningClient(comet, signer, options);
  }

  /** Broadcasts (a CheckTx refusal throws BroadcastTxError, as in cosmjs) and polls for the tx until `timeoutMs`. */
  override async broadcastTx(tx: Uint8Array, timeoutMs = 60_000, pollIntervalMs = 3_000): Promise<DeliverTxResponse> {
    const hash = await this.broadcastTxSync(tx);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      const found = await this.getTx(hash);
      if (found) {
        const { code, height, txIndex, events, rawLog, msgResponses, gasUsed, gasWanted } = found;
        return { code, height, txIndex, events, rawLog, transactionHash: hash, msgResponses, gasUsed, gasWanted };
      }
      if (Date.now() >= deadline) {
        throw new TimeoutError(
          `Transaction with ID ${hash} was submitted but was not yet found on the chain. You might want to check later. There was a wait of ${timeoutMs / 1000} seconds.`,
          hash,
        );
      }
    }
  }
}
