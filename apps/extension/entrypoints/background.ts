import { createWeightAccountant, HL_API_URL } from '@perpscope/hyperliquid';
import { createBackground } from '@/src/background/createBackground';
import { DataService } from '@/src/background/DataService';

export default defineBackground(() => {
  // Half of Hyperliquid's 1200 weight/min per-IP limit, leaving room for the exchange tab itself.
  const budget = createWeightAccountant({ budget: 600, windowMs: 60_000, now: Date.now });
  const service = new DataService({
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    apiBase: HL_API_URL,
    budget,
  });
  createBackground({ browser, service, now: Date.now }).start();
});
