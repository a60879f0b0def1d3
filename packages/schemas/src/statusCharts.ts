import { z } from 'zod';

const nullableNumbers = z.array(z.number().nullable());

/**
 * Body of `GET /v1/status/chain-gaps` (chart data of the status page): per chain, bucket start
 * times (Unix s) with the largest block gap and the head age at each bucket (seconds, `null`
 * where no block was stored).
 */
export const ChainGapSeriesList = z
  .object({
    fromMs: z.number().int(),
    toMs: z.number().int(),
    bucketSeconds: z.number(),
    chains: z.array(
      z.object({
        chainId: z.number().int(),
        times: z.array(z.number().int()),
        maxGapSeconds: nullableNumbers,
        headAgeSeconds: nullableNumbers,
      }),
    ),
  })
  .meta({ id: 'ChainGapSeriesList' });
export type ChainGapSeriesList = z.infer<typeof ChainGapSeriesList>;
