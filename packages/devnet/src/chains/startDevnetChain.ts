import {
  type Address,
  createClient,
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
} from 'viem';
import { type AnvilInstance, startAnvil } from '../startAnvil.js';
import { type ChainFault, createRpcProxy, type RpcProxy } from './createRpcProxy.js';
import { DevnetChainError } from './DevnetChainError.js';
import { sequencerUptimeFeedArtifact } from './SequencerUptimeFeed.artifact.js';

export type { ChainFault } from './createRpcProxy.js';

/** What kind of L2 chain to simulate. */
export type DevnetChainSpec = {
  /** Unique name within a devnet; scenarios address chains by it. */
  name: string;
  chainId: number;
  /**
   * Seconds per block (OP-stack-like: a block every interval, empty or not; fractions allowed,
   * but anvil timestamps are whole seconds so < 1 s gives repeated timestamps), or `'tx-driven'`
   * (Arbitrum-like: a block per transaction and no empty blocks; the devnet sends a background
   * transaction about once per second).
   */
  blockTime: number | 'tx-driven';
  /**
   * How block timestamps are chosen on interval chains. `'wall-clock'` (default): each block gets
   * the current time, so a halt shows as a timestamp gap. `'op-stack'`: every block is exactly
   * `blockTime` after its parent, as the OP derivation rules require (sequencer.md §3 notes,
   * §4.4), so slow production makes the head fall behind wall time and after a halt the chain
   * back-fills the missed slots with empty blocks (up to 4 per tick) until it has caught up — the
   * halt is then invisible in timestamps and only wall-clock observation reveals it. `'op-stack'`
   * needs an integer `blockTime`.
   */
  timestamps?: 'wall-clock' | 'op-stack';
  /** Number of RPC endpoints, each a proxy to the same anvil with its own fault switch. Default 3. */
  rpcCount?: number;
  /** Deploy the Chainlink-compatible sequencer uptime feed. Default true. */
  uptimeFeed?: boolean;
  /** Blocks that `safe` trails `latest` by on the proxies. Default 10. */
  safeLagBlocks?: number;
  /** Blocks that `finalized` trails `latest` by on the proxies. Default 20. */
  finalizedLagBlocks?: number;
};

/** A running simulated L2 chain: one anvil node, N faultable RPC proxies and its controls. */
export interface DevnetChain {
  readonly spec: DevnetChainSpec;
  readonly chainId: number;
  readonly name: string;
  /** Proxied endpoints; the index is the `setRpcFault` target. */
  readonly rpcUrls: readonly string[];
  /** anvil itself, bypassing proxies and faults (for test assertions). */
  readonly directRpcUrl: string;
  /** The uptime feed contract, or null when the spec disabled it. */
  readonly uptimeFeedAddress: Address | null;
  /**
   * Stops block production. On tx-driven chains transactions stay pending, and the proxies hold
   * `eth_sendRawTransaction`/`eth_sendTransaction` unanswered (a dead sequencer endpoint times out).
   * Resolves once no further block will be produced.
   */
  halt(): Promise<void>;
  /** Restarts block production; transactions queued during the halt land in the first block. */
  resume(): Promise<void>;
  /** Changes the block interval (interval chains) or the background tx interval (tx-driven). */
  slowBlocks(secondsPerBlock: number): Promise<void>;
  /**
   * `true` stops the background transaction generator: interval chains then produce blocks with
   * 0 transactions; tx-driven chains produce no blocks at all (Nitro makes no empty blocks).
   */
  emptyBlocks(on: boolean): Promise<void>;
  /** `anvil_reorg`: the last `depth` blocks get new hashes at the same height. */
  reorg(depth: number): Promise<void>;
  /** Pins `safe`/`finalized` at their current numbers while `latest` keeps advancing. */
  stallSafeHead(): Promise<void>;
  /** Unpins `safe`/`finalized`; they jump back to `latest − lag`. */
  releaseSafeHead(): Promise<void>;
  /** Switches proxy `index` into a fault (`none` heals it, also from {@link DevnetChain.forkRpc}). */
  setRpcFault(index: number, fault: ChainFault): void;
  /**
   * Puts proxy `index` on a fork of the chain that runs `aheadBlocks` blocks ahead of the main
   * chain's head when the proxy switches (the main chain keeps making blocks while the fork starts):
   * a second anvil forked (`--fork-url`) from this one at the head of the call, whose first own block carries a
   * transaction the main chain never has (so every block above the split has another hash), mining
   * one block per block time (1 s on tx-driven chains). Below the split both serve the same blocks.
   * `setRpcFault(index, 'none')` puts the proxy back on the main chain and stops the fork.
   * @throws DevnetChainError on an unknown index or `aheadBlocks` not an integer ≥ 1.
   */
  forkRpc(index: number, opts: { aheadBlocks: number }): Promise<void>;
  /**
   * Writes the uptime feed: answer 0 (`up`) or 1 (down). `startedAt` defaults to the timestamp of
   * the block that records the change; 0 is allowed (an uninitialised feed). Resolves when the
   * update is mined; while the chain is halted it resolves once the transaction is queued and the
   * update lands when the chain resumes — like the real L1→L2 feed message (sequencer.md §1.4).
   * @throws DevnetChainError when the chain has no uptime feed.
   */
  setSequencerUp(up: boolean, opts?: { startedAt?: bigint }): Promise<void>;
  /** Makes every round read of the uptime feed revert with `Uninitialized()` (or stop reverting). */
  setUptimeFeedReverts(on: boolean): Promise<void>;
  /** Stops block production, closes the proxies and terminates anvil. Idempotent. */
  stop(): Promise<void>;
}

/** Anvil's first two default accounts (unlocked; funded with 10 000 ETH each). */
const OWNER: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const TRAFFIC: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const SINK: Address = '0x000000000000000000000000000000000000dEaD';
/** Background transaction cadence on tx-driven chains. */
const TX_DRIVEN_INTERVAL_MS = 1000;
/** How long before "now" the fed uptime feed's initial round started (so no grace period at boot). */
const FEED_INITIAL_AGE_SECONDS = 86_400n;

function assertSpec(spec: DevnetChainSpec): void {
  const fail = (what: string) => {
    throw new DevnetChainError(`invalid devnet chain spec "${spec.name}": ${what}`, {
      chain: spec.name,
    });
  };
  if (!spec.name) fail('name must not be empty');
  if (!Number.isSafeInteger(spec.chainId) || spec.chainId <= 0) fail('chainId must be > 0');
  if (spec.blockTime !== 'tx-driven' && !(spec.blockTime > 0 && Number.isFinite(spec.blockTime))) {
    fail(`blockTime must be a positive number of seconds or 'tx-driven', got ${spec.blockTime}`);
  }
  if (spec.rpcCount !== undefined && !(Number.isInteger(spec.rpcCount) && spec.rpcCount >= 1)) {
    fail(`rpcCount must be an integer ≥ 1, got ${spec.rpcCount}`);
  }
  if (
    spec.timestamps === 'op-stack' &&
    (spec.blockTime === 'tx-driven' || !Number.isInteger(spec.blockTime))
  ) {
    fail(`timestamps 'op-stack' needs an integer blockTime in seconds, got ${spec.blockTime}`);
  }
  for (const key of ['safeLagBlocks', 'finalizedLagBlocks'] as const) {
    const v = spec[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) fail(`${key} must be ≥ 0`);
  }
}

/**
 * Starts one simulated L2 chain: a real anvil node (mining on demand), a block producer that
 * follows `spec.blockTime`, `rpcCount` faultable JSON-RPC proxies and, unless disabled, a
 * deployed sequencer uptime feed reporting "up" since 24 h ago. The chain starts with a short
 * back-dated history (`finalizedLagBlocks + 10` blocks) so `safe`/`finalized` are non-zero.
 *
 * Processes are cleaned up by `stop()`, and anvil also dies with the calling process.
 *
 * @throws DevnetChainError on an invalid spec; Error when anvil fails to start.
 * @example
 * const chain = await startDevnetChain({ name: 'op', chainId: 10, blockTime: 2 });
 * await chain.halt();
 * await chain.resume();
 * await chain.stop();
 */
export async function startDevnetChain(spec: DevnetChainSpec): Promise<DevnetChain> {
  assertSpec(spec);
  const txDriven = spec.blockTime === 'tx-driven';
  const initialIntervalMs = txDriven ? TX_DRIVEN_INTERVAL_MS : (spec.blockTime as number) * 1000;
  const safeLag = BigInt(spec.safeLagBlocks ?? 10);
  const finalizedLag = BigInt(spec.finalizedLagBlocks ?? 20);
  const prefill = Number(finalizedLag) + 10;
  const prefillStep = Math.max(1, Math.round(initialIntervalMs / 1000));
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  const anvil: AnvilInstance = await startAnvil({
    chainId: spec.chainId,
    noMining: true,
    genesisTimestamp: nowSeconds() - (prefill + 2) * prefillStep,
  });
  const proxies: RpcProxy[] = [];
  try {
    const transport = http(anvil.rpcUrl, { retryCount: 0 });
    const rpc = createClient({ transport, cacheTime: 0 });
    const test = createTestClient({ mode: 'anvil', transport, cacheTime: 0 });
    const pub = createPublicClient({ transport, cacheTime: 0, pollingInterval: 50 });
    const wallet = createWalletClient({ transport, cacheTime: 0 });

    const opStack = spec.timestamps === 'op-stack';
    const slotSeconds = BigInt(prefillStep);
    const latestTimestamp = async () => (await pub.getBlock()).timestamp;

    // Back-dated history, then put anvil's clock back on wall time (--timestamp offsets it). In
    // 'op-stack' mode every block gets an explicit timestamp instead; anvil_setTime would also
    // forbid setting any timestamp below the new time, i.e. back-filling.
    await test.mine({ blocks: prefill, interval: prefillStep });
    if (!opStack) await test.request({ method: 'anvil_setTime', params: [nowSeconds()] } as never);
    const mineSetupBlock = async () => {
      if (opStack) {
        await test.setNextBlockTimestamp({ timestamp: (await latestTimestamp()) + slotSeconds });
      }
      await test.mine({ blocks: 1 });
    };

    let uptimeFeedAddress: Address | null = null;
    if (spec.uptimeFeed ?? true) {
      const hash = await wallet.deployContract({
        abi: sequencerUptimeFeedArtifact.abi,
        bytecode: sequencerUptimeFeedArtifact.bytecode,
        args: [0n, BigInt(nowSeconds()) - FEED_INITIAL_AGE_SECONDS],
        account: OWNER,
        chain: null,
      });
      await mineSetupBlock();
      const receipt = await pub.getTransactionReceipt({ hash });
      if (receipt.status !== 'success' || !receipt.contractAddress) {
        throw new DevnetChainError(`uptime feed deployment failed on chain "${spec.name}"`, {
          chain: spec.name,
        });
      }
      uptimeFeedAddress = receipt.contractAddress;
    }
    if (txDriven) await test.setAutomine(true);

    let halted = false;
    let stopped = false;
    let empty = false;
    let intervalMs = initialIntervalMs;
    let lastTickAt = Date.now();
    // OP-stack mode ticks at once: the first tick finds the next due slot and aligns the timer.
    let nextAt = opStack ? lastTickAt : lastTickAt + intervalMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pins: { safe: bigint; finalized: bigint } | null = null;
    // Controls and ticks run one at a time so e.g. a reorg never interleaves with a mined block.
    let queue: Promise<unknown> = Promise.resolve();
    const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = queue.then(fn, fn);
      queue = run.catch(() => {});
      return run;
    };
    /** `forkRpc` calls, one at a time (beside the block queue). */
    let forkQueue: Promise<unknown> = Promise.resolve();
    const serializeForks = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = forkQueue.then(fn, fn);
      forkQueue = run.catch(() => {});
      return run;
    };

    const sendTraffic = () =>
      rpc.request({
        method: 'eth_sendTransaction',
        params: [{ from: TRAFFIC, to: SINK, value: '0x1' }],
      } as never);

    /** OP-stack mode: wall time (ms) at which the next slot is due, for aligning the timer. */
    let slotDueAt: number | null = null;
    const slotStartMs = (ts: bigint) => Number(ts) * 1000 + 20;
    /** OP-stack timestamps: mine the next due slot(s) at exactly parent + blockTime. */
    const tickOpStack = async () => {
      const now = BigInt(nowSeconds());
      // Read the parent every time: reorgs and queued writes change it behind our back.
      const lastTs = await latestTimestamp();
      const next = lastTs + slotSeconds;
      if (next > now) {
        slotDueAt = slotStartMs(next); // fired early: come back exactly when the slot starts
        return;
      }
      const behind = Number((now - lastTs) / slotSeconds);
      // Back-fill after a halt (not while deliberately slowed): several empty blocks per tick.
      const catchingUp = behind >= 2 && intervalMs <= initialIntervalMs;
      const blocks = catchingUp ? Math.min(4, behind) : 1;
      if (!empty && !catchingUp) await sendTraffic();
      await test.setNextBlockTimestamp({ timestamp: next });
      await test.mine({ blocks, interval: prefillStep });
      slotDueAt = catchingUp ? null : slotStartMs(next + slotSeconds);
    };
    const tick = async () => {
      if (halted || stopped) return;
      if (opStack) {
        await tickOpStack();
      } else {
        if (!empty) await sendTraffic(); // tx-driven: automine turns this into a block
        if (!txDriven) await test.mine({ blocks: 1 });
      }
      lastTickAt = Date.now();
    };
    const schedule = () => {
      clearTimeout(timer);
      if (halted || stopped) return;
      timer = setTimeout(onTimer, Math.max(0, nextAt - Date.now()));
    };
    function onTimer() {
      serialize(tick)
        .catch((error: unknown) => {
          // A failing tick (e.g. anvil gone during stop) must not kill the producer loop.
          if (!stopped) console.warn(`devnet chain "${spec.name}": block tick failed`, error);
        })
        .finally(() => {
          nextAt = Math.max(nextAt + intervalMs, Date.now());
          // OP-stack at nominal speed: tick at slot boundaries so head age stays below one slot.
          if (slotDueAt !== null && intervalMs <= initialIntervalMs) {
            nextAt = Math.max(slotDueAt, Date.now());
          }
          slotDueAt = null;
          schedule();
        });
    }

    const resolveBlockTag = (tag: 'safe' | 'finalized', head: bigint): bigint => {
      if (pins) return pins[tag] < head ? pins[tag] : head;
      const lag = tag === 'safe' ? safeLag : finalizedLag;
      return head > lag ? head - lag : 0n;
    };

    for (let i = 0; i < (spec.rpcCount ?? 3); i++) {
      proxies.push(
        await createRpcProxy({
          upstreamUrl: anvil.rpcUrl,
          hooks: { resolveBlockTag, holdsTransactions: () => halted && txDriven },
        }),
      );
    }

    const forks = new Map<number, { node: AnvilInstance; timer: ReturnType<typeof setInterval> }>();
    const forkStops = new Set<Promise<void>>();
    const unfork = (index: number) => {
      const f = forks.get(index);
      if (!f) return;
      forks.delete(index);
      clearInterval(f.timer);
      proxies[index]?.setUpstream(null);
      const ending = f.node.stop();
      forkStops.add(ending);
      void ending.finally(() => forkStops.delete(ending));
    };
    const proxyAt = (index: number, what: string) => {
      const proxy = proxies[index];
      if (!proxy) {
        throw new DevnetChainError(
          `${what} on "${spec.name}": no RPC endpoint ${index} (have ${proxies.length})`,
          { chain: spec.name },
        );
      }
      return proxy;
    };

    const requireFeed = (): Address => {
      if (!uptimeFeedAddress) {
        throw new DevnetChainError(`chain "${spec.name}" was started without an uptime feed`, {
          chain: spec.name,
        });
      }
      return uptimeFeedAddress;
    };
    const writeFeed = async (
      call:
        | { functionName: 'setStatus'; args: readonly [bigint, bigint] }
        | { functionName: 'setStatusNow'; args: readonly [bigint] }
        | { functionName: 'setReadReverts'; args: readonly [boolean] },
    ) => {
      const address = requireFeed();
      const hash = await serialize(() =>
        wallet.writeContract({
          address,
          abi: sequencerUptimeFeedArtifact.abi,
          ...call,
          account: OWNER,
          chain: null,
        } as never),
      );
      if (halted) return; // queued; lands on resume (see setSequencerUp's TSDoc)
      const receipt = await pub.waitForTransactionReceipt({
        hash,
        pollingInterval: 50,
        timeout: intervalMs + 10_000,
      });
      if (receipt.status !== 'success') {
        throw new DevnetChainError(`uptime feed ${call.functionName} reverted on "${spec.name}"`, {
          chain: spec.name,
        });
      }
    };

    // Start producing blocks only once nothing else can fail (the catch below does not stop it).
    schedule();
    let stopping: Promise<void> | undefined;
    const chain: DevnetChain = {
      spec,
      chainId: spec.chainId,
      name: spec.name,
      rpcUrls: proxies.map((p) => p.url),
      directRpcUrl: anvil.rpcUrl,
      uptimeFeedAddress,
      halt: () =>
        serialize(async () => {
          halted = true;
          clearTimeout(timer);
          if (txDriven) await test.setAutomine(false);
        }),
      resume: () =>
        serialize(async () => {
          if (!halted) return;
          halted = false;
          if (txDriven) {
            await test.setAutomine(true);
            const { pending } = await test.getTxpoolStatus();
            if (pending > 0) await test.mine({ blocks: 1 });
          }
          nextAt = Date.now();
          schedule();
        }),
      slowBlocks: (secondsPerBlock) =>
        serialize(async () => {
          if (!(secondsPerBlock > 0 && Number.isFinite(secondsPerBlock))) {
            throw new DevnetChainError(
              `slowBlocks on "${spec.name}": secondsPerBlock must be > 0, got ${secondsPerBlock}`,
              { chain: spec.name },
            );
          }
          intervalMs = secondsPerBlock * 1000;
          nextAt = lastTickAt + intervalMs;
          schedule();
        }),
      emptyBlocks: (on) =>
        serialize(async () => {
          empty = on;
        }),
      reorg: (depth) =>
        serialize(async () => {
          const head = await pub.getBlockNumber();
          if (!Number.isInteger(depth) || depth < 1 || BigInt(depth) >= head) {
            throw new DevnetChainError(
              `reorg on "${spec.name}": depth must be an integer in [1, ${head - 1n}], got ${depth}`,
              { chain: spec.name },
            );
          }
          // One distinct transaction in the first replaced block guarantees new hashes even when
          // the old blocks were empty and the timestamps happen to match.
          await test.request({
            method: 'anvil_reorg',
            params: [depth, [[{ from: TRAFFIC, to: SINK, value: '0x2' }, 0]]],
          } as never);
          // anvil_reorg leaves anvil's clock behind wall time (later blocks would be back-dated);
          // in 'op-stack' mode every block gets an explicit timestamp anyway.
          if (!opStack) {
            const latest = await latestTimestamp();
            const now = BigInt(nowSeconds());
            await test.request({
              method: 'anvil_setTime',
              params: [Number(latest > now ? latest : now)],
            } as never);
          }
        }),
      stallSafeHead: () =>
        serialize(async () => {
          if (pins) return;
          const head = await pub.getBlockNumber();
          pins = {
            safe: resolveBlockTag('safe', head),
            finalized: resolveBlockTag('finalized', head),
          };
        }),
      releaseSafeHead: () =>
        serialize(async () => {
          pins = null;
        }),
      setRpcFault: (index, fault) => {
        const proxy = proxyAt(index, 'setRpcFault');
        if (fault === 'none') unfork(index);
        proxy.setFault(fault);
      },
      // Not in the block queue: starting a second anvil takes a while (seconds on a loaded machine),
      // and the main chain must keep making blocks meanwhile — a paused main chain read as a stall.
      forkRpc: (index, { aheadBlocks }) =>
        serializeForks(async () => {
          const proxy = proxyAt(index, 'forkRpc');
          if (!(Number.isInteger(aheadBlocks) && aheadBlocks >= 1)) {
            throw new DevnetChainError(
              `forkRpc on "${spec.name}": aheadBlocks must be an integer ≥ 1, got ${aheadBlocks}`,
              { chain: spec.name },
            );
          }
          unfork(index);
          const head = await pub.getBlockNumber();
          const node = await startAnvil({
            chainId: spec.chainId,
            noMining: true,
            fork: { url: anvil.rpcUrl, blockNumber: Number(head) },
          });
          try {
            const forkTransport = http(node.rpcUrl, { retryCount: 0 });
            const forkTest = createTestClient({
              mode: 'anvil',
              transport: forkTransport,
              cacheTime: 0,
            });
            await forkTest.request({
              method: 'eth_sendTransaction',
              params: [{ from: TRAFFIC, to: SINK, value: '0x3' }],
            } as never);
            // The main chain moved on while the fork started: mine until the fork is `aheadBlocks`
            // above the main head of now (not of the split), so it is that far ahead when served.
            const target = (await pub.getBlockNumber()) + BigInt(aheadBlocks);
            const forkHead = BigInt(
              (await forkTest.request({ method: 'eth_blockNumber' } as never)) as string,
            );
            await forkTest.mine({ blocks: Math.max(aheadBlocks, Number(target - forkHead)) });
            const timer = setInterval(() => {
              forkTest.mine({ blocks: 1 }).catch(() => {}); // the fork may be stopping
            }, initialIntervalMs);
            forks.set(index, { node, timer });
          } catch (error) {
            await node.stop();
            throw error;
          }
          proxy.setUpstream(node.rpcUrl);
        }),
      setSequencerUp: (up, opts) => {
        const answer = up ? 0n : 1n;
        return opts?.startedAt === undefined
          ? writeFeed({ functionName: 'setStatusNow', args: [answer] })
          : writeFeed({ functionName: 'setStatus', args: [answer, opts.startedAt] });
      },
      setUptimeFeedReverts: (on) => writeFeed({ functionName: 'setReadReverts', args: [on] }),
      stop: () => {
        stopping ??= (async () => {
          stopped = true;
          clearTimeout(timer);
          await queue;
          await forkQueue;
          for (const index of [...forks.keys()]) unfork(index);
          await Promise.all(forkStops);
          await Promise.all(proxies.map((p) => p.close()));
          await anvil.stop();
        })();
        return stopping;
      },
    };
    return chain;
  } catch (error) {
    await Promise.all(proxies.map((p) => p.close()));
    await anvil.stop();
    throw error;
  }
}

/**
 * Starts several chains in parallel. If any fails to start, the others are stopped and the
 * first error is rethrown.
 * @throws DevnetChainError when two specs share a name.
 * @example
 * const devnet = await startDevnet(chainScenarios.demo.chains);
 * const [op] = devnet.chains;
 * await devnet.stop();
 */
export async function startDevnet(
  specs: readonly DevnetChainSpec[],
): Promise<{ chains: readonly DevnetChain[]; stop(): Promise<void> }> {
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name))
      throw new DevnetChainError(`duplicate chain name "${spec.name}"`, { chain: spec.name });
    names.add(spec.name);
  }
  const results = await Promise.allSettled(specs.map(startDevnetChain));
  const chains = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(chains.map((c) => c.stop()));
    throw failed.reason;
  }
  return {
    chains,
    stop: async () => {
      await Promise.all(chains.map((c) => c.stop()));
    },
  };
}
