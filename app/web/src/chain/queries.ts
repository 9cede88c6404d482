/**
 * The chain's queries the page uses, each one ABCI query decoded with the generated codecs
 * (cosmjs-types for the bank). Lists ask for generous pages; the page shows the newest first.
 */
import {
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import * as drug from '../../../../generated/parazone/drugregistry/v1/query.js';
import * as gov from '../../../../generated/parazone/governance/v1/query.js';
import * as ibc from '../../../../generated/parazone/ibc/v1/query.js';
import { abciQuery } from './rpc.js';

interface Fns<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  fromPartial(object: never): T;
}

function query<Req, Res>(path: string, request: Fns<Req>, response: Fns<Res>) {
  return (partial: Partial<Req> = {}, at?: string) => abciQuery(path, { request, response }, request.fromPartial(partial as never), at);
}

const DRUG = '/parazone.drugregistry.v1.Query/';
const GOV = '/parazone.governance.v1.Query/';
const PAGE = { limit: 200n, reverse: false } as const;

export const drugQuery = {
  verify: query(`${DRUG}Verify`, drug.QueryVerifyRequest, drug.QueryVerifyResponse),
  unit: query(`${DRUG}Unit`, drug.QueryUnitRequest, drug.QueryUnitResponse),
  unitHistory: query(`${DRUG}UnitHistory`, drug.QueryUnitHistoryRequest, drug.QueryUnitHistoryResponse),
  inventory: query(`${DRUG}Inventory`, drug.QueryInventoryRequest, drug.QueryInventoryResponse),
  recalledInventory: query(`${DRUG}RecalledInventory`, drug.QueryRecalledInventoryRequest, drug.QueryInventoryResponse),
  recalls: query(`${DRUG}Recalls`, drug.QueryRecallsRequest, drug.QueryRecallsResponse),
  container: query(`${DRUG}Container`, drug.QueryContainerRequest, drug.QueryContainerResponse),
  shipments: query(`${DRUG}Shipments`, drug.QueryShipmentsRequest, drug.QueryShipmentsResponse),
  product: query(`${DRUG}Product`, drug.QueryProductRequest, drug.QueryProductResponse),
  products: query(`${DRUG}Products`, drug.QueryProductsRequest, drug.QueryProductsResponse),
  batch: query(`${DRUG}Batch`, drug.QueryBatchRequest, drug.QueryBatchResponse),
  participant: query(`${DRUG}Participant`, drug.QueryParticipantRequest, drug.QueryParticipantResponse),
  participants: query(`${DRUG}Participants`, drug.QueryParticipantsRequest, drug.QueryParticipantsResponse),
  investigations: query(`${DRUG}Investigations`, drug.QueryInvestigationsRequest, drug.QueryInvestigationsResponse),
};

export const govQuery = {
  proposals: query(`${GOV}Proposals`, gov.QueryProposalsRequest, gov.QueryProposalsResponse),
  tally: query(`${GOV}TallyResult`, gov.QueryTallyResultRequest, gov.QueryTallyResultResponse),
  params: query(`${GOV}Params`, gov.QueryParamsRequest, gov.QueryParamsResponse),
  vote: query(`${GOV}Vote`, gov.QueryVoteRequest, gov.QueryVoteResponse),
};

export const bankQuery = {
  supplyOf: query(
    '/cosmos.bank.v1beta1.Query/SupplyOf',
    QuerySupplyOfRequest as unknown as Fns<QuerySupplyOfRequest>,
    QuerySupplyOfResponse as unknown as Fns<QuerySupplyOfResponse>,
  ),
  balance: query(
    '/cosmos.bank.v1beta1.Query/Balance',
    QueryBalanceRequest as unknown as Fns<QueryBalanceRequest>,
    QueryBalanceResponse as unknown as Fns<QueryBalanceResponse>,
  ),
};

export const ibcQuery = {
  clients: query('/parazone.ibc.v1.Query/Clients', ibc.QueryClientsRequest, ibc.QueryClientsResponse),
  pendingPackets: query('/parazone.ibc.v1.Query/PendingPackets', ibc.QueryPendingPacketsRequest, ibc.QueryPendingPacketsResponse),
};

export { PAGE };
