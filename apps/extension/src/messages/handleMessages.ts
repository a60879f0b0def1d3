import { z } from 'zod';
import type { MessageRequest, MessageResponse, MessageType, ResponseEnvelope } from './protocol.js';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number');

/** zod schemas of every request: messages are an edge (SPEC §1), validated in the background. */
export const requestSchemas = {
  getSnapshot: z.object({
    maxAgeMs: z.number().int().min(0).max(3_600_000),
    focusCoin: z.string().min(1).max(64).nullable(),
  }),
  reportAevoPage: z.object({
    positions: z
      .array(
        z.object({
          instrument: z.string().min(1).max(40),
          side: z.enum(['long', 'short']),
          size: decimal,
          markPx: decimal.nullable(),
          liqPx: decimal.nullable(),
        }),
      )
      .max(200),
    account: z.object({
      balance: decimal.nullable(),
      unrealizedPnl: decimal.nullable(),
      openOrdersMargin: decimal.nullable(),
      maintenanceMargin: decimal.nullable(),
    }),
  }),
} satisfies { [K in MessageType]: z.ZodType };

/** Context of a received message that handlers may use. */
export interface MessageContext {
  /** Tab the message came from, when it came from a content script. */
  readonly tabId: number | undefined;
}

/** One async handler per message type. */
export type MessageHandlers = {
  [K in MessageType]: (data: MessageRequest<K>, ctx: MessageContext) => Promise<MessageResponse<K>>;
};

/** Minimal shape of `runtime.MessageSender` we rely on. */
export interface Sender {
  readonly id?: string | undefined;
  readonly tab?: { readonly id?: number | undefined } | undefined;
}

/**
 * Validates and dispatches one incoming message. Returns `undefined` for messages that are not
 * ours (so other listeners may answer) and an error envelope for invalid ones; never throws.
 */
export async function dispatchMessage(
  handlers: MessageHandlers,
  message: unknown,
  sender: Sender,
  ownId: string,
): Promise<ResponseEnvelope<unknown> | undefined> {
  if (
    typeof message !== 'object' ||
    message === null ||
    (message as { perpscope?: unknown }).perpscope !== 1
  ) {
    return undefined;
  }
  if (sender.id !== ownId)
    return { ok: false, error: 'messages are accepted from this extension only' };
  const { type, data } = message as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(requestSchemas, type)) {
    return {
      ok: false,
      error: `unknown message type ${JSON.stringify(String(type)).slice(0, 60)}`,
    };
  }
  const key = type as MessageType;
  const parsed = requestSchemas[key].safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `invalid ${key} request at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    };
  }
  try {
    const handler = handlers[key] as (d: unknown, c: MessageContext) => Promise<unknown>;
    return { ok: true, data: await handler(parsed.data, { tabId: sender.tab?.id }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Minimal shape of `runtime.onMessage` we attach to. */
export interface OnMessageEvent {
  addListener(
    cb: (
      message: unknown,
      sender: Sender,
      sendResponse: (r: unknown) => void,
    ) => boolean | undefined,
  ): void;
}

/**
 * Attaches the handlers to `runtime.onMessage`. Uses `sendResponse` + `return true` (works in
 * every MV3 browser) rather than returning a promise.
 */
export function listenForMessages(
  onMessage: OnMessageEvent,
  handlers: MessageHandlers,
  ownId: string,
): void {
  onMessage.addListener((message, sender, sendResponse) => {
    if (
      typeof message !== 'object' ||
      message === null ||
      (message as { perpscope?: unknown }).perpscope !== 1
    ) {
      return undefined;
    }
    void dispatchMessage(handlers, message, sender, ownId).then(sendResponse);
    return true;
  });
}
