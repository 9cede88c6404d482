import { toText } from './text-output.js';

describe('toText', () => {
  it('prints nested objects and lists in YAML block style', () => {
    const value = {
      proposal: {
        id: '1',
        messages: [{ '@type': '/parazone.tokens.v1.MsgMint', amount: [{ denom: 'upara', amount: '5' }] }],
        status: 'PROPOSAL_STATUS_PASSED',
        title: 'Mint: 5 upara',
        totalDeposit: [],
      },
      empty: {},
      ok: true,
      tags: ['a', 'b'],
    };
    expect(toText(value)).toBe(
      [
        'proposal:',
        '  id: "1"',
        '  messages:',
        '  - "@type": /parazone.tokens.v1.MsgMint',
        '    amount:',
        '    - denom: upara',
        '      amount: "5"',
        '  status: PROPOSAL_STATUS_PASSED',
        '  title: "Mint: 5 upara"',
        '  totalDeposit: []',
        'empty: {}',
        'ok: true',
        'tags:',
        '- a',
        '- b',
      ].join('\n'),
    );
  });

  it('prints a scalar or an empty list on one line', () => {
    expect(toText('para1abc')).toBe('para1abc');
    expect(toText([])).toBe('[]');
    expect(toText(12n)).toBe('"12"');
    expect(toText({ expiry: '2029-12-31' })).toBe('expiry: "2029-12-31"');
  });
});
