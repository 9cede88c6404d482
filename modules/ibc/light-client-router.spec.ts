/** The router finds a client's light client module by the type its id starts with. */
import { ErrClientNotFound, ErrInvalidClientType } from './errors.js';
import { isClientId } from './keys.js';
import type { LightClientModule } from './light-client-module.js';
import { LightClientRouter } from './light-client-router.js';
import { TendermintLightClientModule } from './light-clients/07-tendermint/index.js';

/** Only the type matters to the router; the calls are never made here. */
const ofType = (clientType: string) => ({ clientType }) as LightClientModule;

describe('LightClientRouter', () => {
  const tendermint = new TendermintLightClientModule();
  const wasm = ofType('08-wasm');
  const router = new LightClientRouter([tendermint, wasm]);

  test('a client id routes to the module of its type prefix', () => {
    expect(router.forClient('07-tendermint-0')).toBe(tendermint);
    expect(router.forClient('07-tendermint-12')).toBe(tendermint);
    expect(router.forClient('08-wasm-3')).toBe(wasm);
    expect(router.forType('08-wasm')).toBe(wasm);
  });

  test('an id of an unregistered type is no client; creating one of it is refused', () => {
    expect(() => new LightClientRouter([tendermint]).forClient('08-wasm-3')).toThrow(ErrClientNotFound.description);
    expect(() => router.forClient('tendermint')).toThrow(ErrClientNotFound.description);
    expect(() => router.forType('06-solomachine')).toThrow(ErrInvalidClientType.description);
  });

  test('types are registered once, in ibc-go shape', () => {
    expect(() => new LightClientRouter([tendermint, ofType('07-tendermint')])).toThrow(/registered twice/);
    expect(() => new LightClientRouter([ofType('clients')])).toThrow(/not like 07-tendermint/);
  });

  test('client ids are "<type>-<n>" for any such type', () => {
    expect(isClientId('08-wasm-12')).toBe(true);
    expect(isClientId('08-wasm-012')).toBe(false);
    expect(isClientId('wasm-1')).toBe(false);
    expect(isClientId('sentinel-0')).toBe(false);
  });
});
