import { ErrUnauthorized } from '../../app/types/errors.js';
import { defineMsg, type MsgHandler } from '../../app/types/module.js';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../generated/parazone/auth/v1/tx.js';
import { ErrInvalidParams } from './errors.js';
import type { AuthKeeper } from './keeper.js';
import { validateParams } from './params.js';

export const MSG_UPDATE_PARAMS_TYPE_URL = '/parazone.auth.v1.MsgUpdateParams';

/** MsgUpdateParams: governance replaces all auth params (cosmos.auth.v1beta1.MsgUpdateParams + the minimum gas price). */
export function updateParamsMsg(keeper: AuthKeeper): MsgHandler<MsgUpdateParams, MsgUpdateParamsResponse> {
  return defineMsg({
    typeUrl: MSG_UPDATE_PARAMS_TYPE_URL,
    aminoName: 'parazone/auth/MsgUpdateParams',
    type: MsgUpdateParams,
    responseType: MsgUpdateParamsResponse,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      keeper.config.addresses.decode(msg.authority, 'authority');
      if (!msg.params) throw ErrInvalidParams.wrap('params are required');
      validateParams(msg.params);
    },
    handle(ctx, msg) {
      if (msg.authority !== keeper.authority) {
        throw ErrUnauthorized.wrap(`invalid authority; expected ${keeper.authority}, got ${msg.authority}`);
      }
      keeper.setParams(ctx, msg.params!);
      ctx.events.emit('auth_params_updated', { authority: msg.authority });
      return {};
    },
  });
}

export function authMsgs(keeper: AuthKeeper): MsgHandler[] {
  return [updateParamsMsg(keeper)];
}
