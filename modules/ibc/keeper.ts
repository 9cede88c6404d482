/**
 * IbcKeeper: the ibc module's state machine — clients (ICS-02, 07-tendermint), v2 packets
 * (ICS-04) and the applications bound to ports. Other modules send packets only through an
 * application (ICS-20 `transfer`, `drugcustody`), never by writing commitments themselves.
 */
import type { StoreKey } from '../../app/store/types.js';
import type { AddressCodec } from '../../app/types/address.js';
import { ClientKeeper } from './client-keeper.js';
import type { LightClientModule } from './light-client-module.js';
import { LightClientRouter } from './light-client-router.js';
import { TendermintLightClientModule } from './light-clients/07-tendermint/index.js';
import { CustodyApp } from './apps/custody.js';
import { TransferApp } from './apps/transfer.js';
import type { BankKeeper, DrugCustodyKeeper } from './expected-keepers.js';
import { PacketKeeper, type IbcApp } from './packet-keeper.js';

export interface IbcKeeperOptions {
  readonly storeKey: StoreKey;
  readonly moduleName: string;
  readonly addresses: AddressCodec;
  readonly bank: BankKeeper;
  /** Absent: the chain has no drug registry and no `drugcustody` port. */
  readonly drugs?: DrugCustodyKeeper;
  /** Authority of governance-only Msgs (the governance module account). */
  readonly authority: string;
  /** The light client types clients may have; default: 07-tendermint only. */
  readonly lightClients?: readonly LightClientModule[];
  /** Further applications (ports) to bind. */
  readonly apps?: readonly ((keeper: IbcKeeper) => IbcApp)[];
}

export class IbcKeeper {
  readonly storeKey: StoreKey;
  readonly moduleAddress: string;
  readonly clients: ClientKeeper;
  readonly packets: PacketKeeper;
  readonly transfer: TransferApp;
  readonly custody?: CustodyApp;

  constructor(o: IbcKeeperOptions) {
    this.storeKey = o.storeKey;
    this.moduleAddress = o.addresses.moduleAddress(o.moduleName);
    this.clients = new ClientKeeper(o.storeKey, new LightClientRouter(o.lightClients ?? [new TendermintLightClientModule()]), o.authority);
    this.packets = new PacketKeeper(this.clients);
    this.transfer = new TransferApp({
      moduleName: o.moduleName,
      bank: o.bank,
      addresses: o.addresses,
      packets: this.packets,
      clients: this.clients,
    });
    this.packets.bindApp(this.transfer);
    if (o.drugs) {
      this.custody = new CustodyApp({
        drugs: o.drugs,
        packets: this.packets,
        clients: this.clients,
        addresses: o.addresses,
        moduleAddress: this.moduleAddress,
        authority: o.authority,
      });
      this.packets.bindApp(this.custody);
    }
    for (const make of o.apps ?? []) this.packets.bindApp(make(this));
  }
}
