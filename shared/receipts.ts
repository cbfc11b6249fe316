/** What the widget sends to `POST /v1/receipts/lookup`: the citizen's receipt codes for one service. */
import * as v from 'valibot';
import { ServiceId } from './feedback';
import { RECEIPT_LOOKUP_MAX } from './limits';

/** A receipt code as `POST /v1/feedback` gave it: 22 base64url characters. */
export const ReceiptCode = v.pipe(v.string(), v.regex(/^[\w-]{22}$/));

/**
 * The receipts kept on one device for one service, sent in the body (never in an address: each
 * code is the key to its story). One to `RECEIPT_LOOKUP_MAX` codes; the same code twice is asked
 * about once. Unknown fields are rejected.
 */
export const ReceiptLookup = v.strictObject({
  service: ServiceId,
  receipts: v.pipe(v.array(ReceiptCode), v.minLength(1), v.maxLength(RECEIPT_LOOKUP_MAX)),
});

/** A lookup as the widget builds it. */
export type ReceiptLookup = v.InferOutput<typeof ReceiptLookup>;
