/**
 * Light client modules by client type, as ibc-go's 02-client router: core finds a client's
 * module from the type its id starts with, so adding a client type is registering one more
 * module, not editing core.
 */
import type { LightClientModule } from './light-client-module.js';
import { ErrClientNotFound, ErrInvalidClientType } from './errors.js';
import { CLIENT_TYPE_PATTERN } from './keys.js';

export class LightClientRouter {
  private readonly modules = new Map<string, LightClientModule>();

  constructor(modules: readonly LightClientModule[]) {
    for (const m of modules) {
      if (!CLIENT_TYPE_PATTERN.test(m.clientType)) throw new Error(`light client type ${m.clientType} is not like 07-tendermint`);
      if (this.modules.has(m.clientType)) throw new Error(`light client type ${m.clientType} registered twice`);
      this.modules.set(m.clientType, m);
    }
  }

  /** The module of a client type, for creating a client of it. */
  forType(clientType: string): LightClientModule {
    const m = this.modules.get(clientType);
    if (m === undefined) throw ErrInvalidClientType.wrap(`no light client of type ${clientType} is registered`);
    return m;
  }

  /** The module of an existing client: its id is "<client type>-<sequence>" (ibc-go ParseClientIdentifier). */
  forClient(clientId: string): LightClientModule {
    const dash = clientId.lastIndexOf('-');
    const m = dash > 0 ? this.modules.get(clientId.slice(0, dash)) : undefined;
    if (m === undefined) throw ErrClientNotFound.wrap(`no client ${clientId}`);
    return m;
  }
}
