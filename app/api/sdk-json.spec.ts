import { create, toBinary } from '@bufbuild/protobuf';
import { loadApiSurface } from './descriptors.js';
import { renderJson } from './rest-gateway.js';

const { registry } = loadApiSurface();

function render(typeName: string, init: Record<string, unknown>) {
  const schema = registry.getMessage(typeName)!;
  return renderJson(schema, toBinary(schema, create(schema, init as never)), registry) as Record<string, any>;
}

describe('REST JSON as the SDK gateway writes it', () => {
  it('an unset nullable message is null, empty bytes are null', () => {
    expect(render('cosmos.bank.v1beta1.QueryAllBalancesResponse', { pagination: { total: 1n } })).toEqual({
      balances: [],
      pagination: { next_key: null, total: '1' },
    });
    expect(render('cosmos.bank.v1beta1.QueryAllBalancesResponse', {}).pagination).toBeNull();
  });

  it('an unset (gogoproto.nullable) = false message is written at its defaults', () => {
    // Header.last_block_id is non-nullable: the SDK writes a zero BlockID, never null.
    const header = render('tendermint.types.Header', {}).last_block_id;
    expect(header).toEqual({ hash: null, part_set_header: { total: 0, hash: null } });
  });

  it('follows messages packed in an Any', () => {
    const baseAccount = registry.getMessage('cosmos.auth.v1beta1.BaseAccount')!;
    const value = toBinary(baseAccount, create(baseAccount, { address: 'para1x', accountNumber: 3n }));
    const account = render('cosmos.auth.v1beta1.QueryAccountResponse', {
      account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value },
    }).account;
    expect(account).toEqual({
      '@type': '/cosmos.auth.v1beta1.BaseAccount',
      address: 'para1x',
      pub_key: null,
      account_number: '3',
      sequence: '0',
    });
  });
});
