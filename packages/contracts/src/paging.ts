import { z } from 'zod';

/** A cursor as list endpoints hand it out in `nextCursor`: `head:<offset>` or `<page>:<offset>`. Opaque to clients. */
export const PAGE_CURSOR = /^(head|\d{1,9}):(\d{1,9})$/;

/** `?limit=&cursor=` of every list endpoint (orders, messages, payments): newest first, a page at a time. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('How many items, newest first (1–100)'),
  cursor: z.string().regex(PAGE_CURSOR).optional().describe('The `nextCursor` of the previous page; absent for the newest page'),
});
export type PageQuery = z.infer<typeof PageQuery>;
