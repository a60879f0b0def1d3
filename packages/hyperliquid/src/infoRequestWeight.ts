/**
 * Hyperliquid REST weight of one info request (research/hyperliquid.md §2.3, from
 * https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits):
 * 2 for `l2Book`, `allMids`, `clearinghouseState`, `orderStatus`, `spotClearinghouseState`,
 * `exchangeStatus`; 60 for `userRole`; 20 for every other documented info request.
 * The explorer's `userDetails` is not in the docs: it is charged 20, conservatively.
 *
 * @example infoRequestWeight('clearinghouseState') // 2
 */
export function infoRequestWeight(type: string): number {
  switch (type) {
    case 'l2Book':
    case 'allMids':
    case 'clearinghouseState':
    case 'orderStatus':
    case 'spotClearinghouseState':
    case 'exchangeStatus':
      return 2;
    case 'userRole':
      return 60;
    default:
      return 20;
  }
}

/**
 * The weight HL adds for the items an answer returned (same source): 1 per 20 items for the
 * fills and funding lists (`userFills`, `userFillsByTime`, `fundingHistory`, `userFunding`, …), 1 per
 * 60 candles for `candleSnapshot`, 0 for everything else. Charged after the answer arrives.
 *
 * @example responseItemsWeight('userFillsByTime', 2000) // 100
 */
export function responseItemsWeight(type: string, items: number): number {
  switch (type) {
    case 'candleSnapshot':
      return Math.floor(items / 60);
    case 'userFills':
    case 'userFillsByTime':
    case 'fundingHistory':
    case 'userFunding':
    case 'userNonFundingLedgerUpdates':
    case 'historicalOrders':
      return Math.floor(items / 20);
    default:
      return 0;
  }
}
