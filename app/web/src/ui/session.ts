/** The key connected in this tab, shared by every page. */
import type { ConnectedKey } from '../chain/signer.js';
import { Store } from './hooks.js';

export const connectedKey = new Store<ConnectedKey | undefined>(undefined);
