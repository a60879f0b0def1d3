import type { AevoPageAccount, AevoPagePosition, Snapshot } from '../model.js';

/**
 * The one message protocol between extension contexts: request and response type per message.
 * Content scripts, popup and options only ever talk to the background through these.
 */
export interface ProtocolMap {
  /**
   * Latest snapshot; refreshed first when older than `maxAgeMs` (subject to the request budget).
   * `focusCoin` is the market on screen, whose funding/oracle line the page shows.
   */
  getSnapshot: { request: { maxAgeMs: number; focusCoin: string | null }; response: Snapshot };
  /** Aevo positions and account inputs read from app.aevo.xyz; answered with the new snapshot. */
  reportAevoPage: {
    request: { positions: readonly AevoPagePosition[]; account: AevoPageAccount };
    response: Snapshot;
  };
}

export type MessageType = keyof ProtocolMap;
export type MessageRequest<K extends MessageType> = ProtocolMap[K]['request'];
export type MessageResponse<K extends MessageType> = ProtocolMap[K]['response'];

/** Wire envelope of a request (the `perpscope` tag tells our messages from anybody else's). */
export interface RequestEnvelope<K extends MessageType = MessageType> {
  readonly perpscope: 1;
  readonly type: K;
  readonly data: MessageRequest<K>;
}

/** Wire envelope of a response: errors cross as text, never as thrown objects. */
export type ResponseEnvelope<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: string };

/** Error raised on the sending side when the background answered with an error. */
export class MessageError extends Error {
  override name = 'Extension.MessageError';
  constructor(
    readonly type: MessageType,
    message: string,
  ) {
    super(`${type}: ${message}`);
  }
}

/** Transport used to send: `browser.runtime.sendMessage` in the extension, a fake in tests. */
export type SendFn = (message: unknown) => Promise<unknown>;

/**
 * Sends a typed message to the background and returns its typed response.
 *
 * @throws {MessageError} when the background rejects the request or answers with something that
 *   is not a response envelope (e.g. no listener).
 * @example
 * const snap = await sendMessage(browser.runtime.sendMessage, 'getSnapshot', { maxAgeMs: 5000 });
 */
export async function sendMessage<K extends MessageType>(
  send: SendFn,
  type: K,
  data: MessageRequest<K>,
): Promise<MessageResponse<K>> {
  const envelope: RequestEnvelope<K> = { perpscope: 1, type, data };
  const reply = (await send(envelope)) as ResponseEnvelope<MessageResponse<K>> | undefined;
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
    throw new MessageError(type, 'no response from the background');
  }
  if (!reply.ok) throw new MessageError(type, reply.error);
  return reply.data;
}
