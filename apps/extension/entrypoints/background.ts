import { createBackground } from '@/src/background/createBackground';
import { DataService } from '@/src/background/DataService';
import { HL_API_BASE } from '@/src/net/infoClient';
import { RequestBudget } from '@/src/net/RequestBudget';

export default defineBackground(() => {
  // Half of Hyperliquid's 1200 weight/min per-IP limit, leaving room for the exchange tab itself.
  const budget = new RequestBudget({ maxWeight: 600, windowMs: 60_000 });
  const service = new DataService({
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    apiBase: HL_API_BASE,
    budget,
  });
  createBackground({ browser, service, now: Date.now }).start();
});
