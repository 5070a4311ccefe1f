/** JSON text of payload objects already serialized, keyed by the object itself. */
const texts = new WeakMap<object, string>();

/**
 * The JSON text of an event payload, serialized once per payload object: the size check at publish,
 * the event row and the delivery body all need it. Payloads are never changed once published, so the
 * text stays true for the object's life. Undefined for undefined (as JSON.stringify).
 */
export function payloadJson(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return JSON.stringify(payload);
  let text = texts.get(payload);
  if (text === undefined) {
    text = JSON.stringify(payload);
    texts.set(payload, text);
  }
  return text;
}
