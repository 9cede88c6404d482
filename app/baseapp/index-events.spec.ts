import { makeEvent } from '../types/events.js';
import { DEFAULT_INDEX_EVENTS, EventIndexer } from './index-events.js';

describe('EventIndexer', () => {
  const events = [
    makeEvent('transfer', { recipient: 'para1r', sender: 'para1s', amount: '5upara' }),
    makeEvent('message', { action: '/cosmos.bank.v1beta1.MsgSend', sender: 'para1s', module: 'bank' }),
    makeEvent('coin_spent', { spender: 'para1s', amount: '5upara' }),
  ];
  const flags = (out: ReturnType<EventIndexer['flag']>) =>
    out.map(
      (e) =>
        `${e.type}:${e.attributes
          .filter((a) => a.index)
          .map((a) => a.key)
          .join(',')}`,
    );

  it('flags only the listed type.attribute keys, keeping every event and attribute', () => {
    const out = new EventIndexer(['transfer.recipient', 'message.action']).flag(events);
    expect(flags(out)).toEqual(['transfer:recipient', 'message:action', 'coin_spent:']);
    expect(out.map((e) => e.attributes.map((a) => [a.key, a.value]))).toEqual(events.map((e) => e.attributes.map((a) => [a.key, a.value])));
    expect(events[0]!.attributes.every((a) => a.index)).toBe(true); // the input is not modified
  });

  it('indexes everything with an empty list (the SDK meaning), passing the events through', () => {
    const out = new EventIndexer([]).flag(events);
    expect(out).toBe(events);
  });

  it('keeps by default what searchTx and explorers query, and not the rest', () => {
    const out = new EventIndexer(DEFAULT_INDEX_EVENTS).flag(events);
    expect(flags(out)).toEqual(['transfer:recipient,sender', 'message:action,sender', 'coin_spent:']);
  });

  it('refuses a key that is not type.attribute', () => {
    expect(() => new EventIndexer(['sender'])).toThrow('is not "type.attribute"');
  });
});
