import { commandName, groupOfTypeUrl, queryCommandName, toJson } from './naming.js';

describe('CLI naming', () => {
  it('derives group and command names from type URLs and query paths', () => {
    expect(groupOfTypeUrl('/cosmos.bank.v1beta1.MsgSend')).toBe('bank');
    expect(groupOfTypeUrl('/parazone.drugregistry.v1.Query/UnitHistory')).toBe('drugregistry');
    expect(commandName('/cosmos.bank.v1beta1.MsgMultiSend')).toBe('multi-send');
    expect(commandName('/parazone.drugregistry.v1.MsgShip')).toBe('ship');
    expect(queryCommandName('/parazone.drugregistry.v1.Query/UnitHistory')).toBe('unit-history');
    expect(queryCommandName('/cosmos.bank.v1beta1.Query/AllBalances')).toBe('all-balances');
  });

  it('prints bigint and bytes readably', () => {
    expect(JSON.parse(toJson({ a: 5n, b: Uint8Array.of(1, 2) }))).toEqual({ a: '5', b: 'AQI=' });
  });
});
