/** What the node tells the page at /config.json: how to sign, and on a demo localnet its keys. */
export interface DevnetKey {
  readonly address: string;
  readonly mnemonic: string;
}

export interface ClientConfig {
  readonly chainId: string;
  readonly bech32Prefix: string;
  readonly denom: string;
  readonly gasPrice: string;
  /** RPC proxies of the other zones this node knows, relative to the page (`zones/1/rpc`, …). */
  readonly zones?: readonly string[];
  /** Only on a demo localnet: keys whose mnemonics are public (devnet only). */
  readonly demo?: { warning: string; product: { gtin: string; lot: string }; keys: Record<string, DevnetKey> };
  readonly faucet?: DevnetKey;
}

let loaded: Promise<ClientConfig> | undefined;

export function clientConfig(): Promise<ClientConfig> {
  loaded ??= fetch(new URL('config.json', document.baseURI)).then(async (response) => {
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    return (await response.json()) as ClientConfig;
  });
  return loaded;
}

/** The devnet keys by name (the demo's five and the faucet, which holds most of the vote). */
export function devnetKeys(config: ClientConfig): Record<string, DevnetKey> {
  if (!config.demo) return {};
  return { ...config.demo.keys, ...(config.faucet ? { faucet: config.faucet } : {}) };
}
