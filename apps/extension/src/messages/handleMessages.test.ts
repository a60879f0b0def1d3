import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { EMPTY_SNAPSHOT } from '../model.js';
import { dispatchMessage, listenForMessages, type MessageHandlers } from './handleMessages.js';
import { MessageError, sendMessage } from './protocol.js';

function handlers(): MessageHandlers {
  return {
    getSnapshot: vi.fn(async () => ({ ...EMPTY_SNAPSHOT, updatedAt: 42 })),
    reportAevoPage: vi.fn(async () => EMPTY_SNAPSHOT),
  };
}

// fake-browser delivers messages with an empty sender; a real one carries our extension id.
const onMessage = {
  addListener: (cb: Parameters<Parameters<typeof listenForMessages>[0]['addListener']>[0]) =>
    fakeBrowser.runtime.onMessage.addListener((m, s, r) =>
      cb(m, { ...s, id: fakeBrowser.runtime.id }, r),
    ),
};

describe('message layer', () => {
  beforeEach(() => fakeBrowser.reset());

  it('round-trips a typed request through runtime messaging', async () => {
    const h = handlers();
    listenForMessages(onMessage, h, fakeBrowser.runtime.id);
    const snap = await sendMessage((m) => fakeBrowser.runtime.sendMessage(m), 'getSnapshot', {
      maxAgeMs: 1000,
      focusCoin: 'BTC',
    });
    expect(snap.updatedAt).toBe(42);
    expect(h.getSnapshot).toHaveBeenCalledWith(
      { maxAgeMs: 1000, focusCoin: 'BTC' },
      { tabId: undefined },
    );
  });

  it('rejects invalid payloads with the failing path, without calling the handler', async () => {
    const h = handlers();
    const reply = await dispatchMessage(
      h,
      {
        perpscope: 1,
        type: 'reportAevoPage',
        data: {
          positions: [{ instrument: 'ETH-PERP', side: 'up', size: '1', markPx: null, liqPx: null }],
          account: {},
        },
      },
      { id: 'me' },
      'me',
    );
    expect(reply).toEqual({ ok: false, error: expect.stringContaining('positions.0.side') });
    expect(h.reportAevoPage).not.toHaveBeenCalled();
  });

  it('rejects unknown types and foreign senders, ignores messages that are not ours', async () => {
    const h = handlers();
    expect(
      await dispatchMessage(
        h,
        { perpscope: 1, type: 'deleteEverything', data: {} },
        { id: 'me' },
        'me',
      ),
    ).toEqual({
      ok: false,
      error: expect.stringContaining('unknown message type'),
    });
    expect(
      await dispatchMessage(
        h,
        { perpscope: 1, type: 'getSnapshot', data: { maxAgeMs: 1, focusCoin: null } },
        { id: 'evil' },
        'me',
      ),
    ).toEqual({
      ok: false,
      error: 'messages are accepted from this extension only',
    });
    expect(await dispatchMessage(h, { hello: 1 }, { id: 'me' }, 'me')).toBeUndefined();
  });

  it('turns handler failures into a MessageError on the sending side', async () => {
    const h = handlers();
    h.getSnapshot = async () => {
      throw new Error('boom');
    };
    listenForMessages(onMessage, h, fakeBrowser.runtime.id);
    await expect(
      sendMessage((m) => fakeBrowser.runtime.sendMessage(m), 'getSnapshot', {
        maxAgeMs: 0,
        focusCoin: null,
      }),
    ).rejects.toThrow(new MessageError('getSnapshot', 'boom'));
  });
});
