// The image's health check: healthy while the CometBFT RPC of the node home in $PARAZONE_HOME
// (its port read from the home's config.toml) answers `status`.
import { readNodeConfig, rpcCall } from '../dist/app/node/cometbft.js';

const home = process.env.PARAZONE_HOME;
if (!home) {
  console.error('healthcheck: PARAZONE_HOME is not set');
  process.exit(1);
}
try {
  const config = /** @type {{ rpc?: { laddr?: string } }} */ (await readNodeConfig(home));
  const rpc = (config.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://');
  const status = /** @type {{ sync_info: { latest_block_height: string } }} */ (await rpcCall(rpc, 'status', {}, 3000));
  console.log(`height ${status.sync_info.latest_block_height}`);
} catch (err) {
  console.error(`healthcheck: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
