/** ibc-go's Height.String(): "<revision>-<height>", as events and error messages show heights. */
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';

export const heightString = (h: Height) => `${h.revisionNumber}-${h.revisionHeight}`;
