/**
 * Diagnostics support: a Chrome DevTools Protocol session into the ingestion worker of a running
 * watcher started with `--inspect=127.0.0.1:<port>` (`NodeWorker.enable`, then messages sent into
 * the worker's session). `--heapsnapshot-signal`, `--heap-prof` and `v8.writeHeapSnapshot()` reach
 * only their own thread, or only the end of the run; this reaches the worker while it runs.
 */

/** A command channel into the worker's inspector session. */
export type WorkerSession = {
  /** The worker's title (`[worker 1] …`). */
  title: string;
  /** Sends one CDP command to the worker and resolves with its result. */
  call(method: string, params?: object): Promise<Record<string, unknown>>;
  /** Calls `listener` for every CDP event the worker sends (e.g. heap snapshot chunks). */
  onEvent(listener: (method: string, params: Record<string, unknown>) => void): void;
  close(): void;
};

/** Attaches to the first worker of the inspector on `port` (fails after 10 s without one). */
export async function attachToWorker(port: number): Promise<WorkerSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (url === undefined) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), {
      once: true,
    });
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  const listeners: ((method: string, params: Record<string, unknown>) => void)[] = [];
  const attached = new Promise<{ sessionId: string; title: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('no ingestion worker attached within 10 s')),
      10_000,
    );
    ws.addEventListener('message', (event) => {
      const m = JSON.parse(String(event.data));
      if (m.method === 'NodeWorker.attachedToWorker') {
        clearTimeout(timer);
        resolve({ sessionId: m.params.sessionId, title: m.params.workerInfo.title });
      }
      if (m.method !== 'NodeWorker.receivedMessageFromWorker') return;
      const w = JSON.parse(m.params.message as string);
      if (w.id !== undefined) {
        const p = pending.get(w.id);
        pending.delete(w.id);
        if (w.error) p?.reject(new Error(JSON.stringify(w.error)));
        else p?.resolve(w.result as never);
      } else for (const l of listeners) l(w.method, w.params);
    });
  });
  ws.send(
    JSON.stringify({
      id: 0,
      method: 'NodeWorker.enable',
      params: { waitForDebuggerOnStart: false },
    }),
  );
  const { sessionId, title } = await attached;
  return {
    title,
    call(method, params = {}) {
      const id = ++nextId;
      const result = new Promise<Record<string, unknown>>((resolve, reject) =>
        pending.set(id, { resolve, reject }),
      );
      ws.send(
        JSON.stringify({
          id,
          method: 'NodeWorker.sendMessageToWorker',
          params: { sessionId, message: JSON.stringify({ id, method, params }) },
        }),
      );
      return result;
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    close() {
      ws.close();
    },
  };
}
