/**
 * What a customer likes, and what everyone likes, learnt from OrderPlaced
 * events only (marketing reads no other service's data). Counts are kept with
 * the ids of the events already counted, so a redelivered event counts once.
 */
export interface Tally {
  readonly counts: Readonly<Record<string, number>>;
  readonly orders: number;
  /** Ids of the most recent events counted: far more than any redelivery reaches back. */
  readonly countedEventIds: readonly string[];
}

export const EMPTY_TALLY: Tally = { counts: {}, orders: 0, countedEventIds: [] };
const REMEMBERED_EVENTS = 500;

export function count(
  tally: Tally,
  eventId: string,
  lines: ReadonlyArray<{ menuItemId: string; quantity: number }>,
): { tally: Tally; changed: boolean } {
  if (tally.countedEventIds.includes(eventId)) return { tally, changed: false };
  const added = addUp(tally, lines);
  return { tally: { ...added, countedEventIds: [...tally.countedEventIds, eventId].slice(-REMEMBERED_EVENTS) }, changed: true };
}

/**
 * `lines` added to a tally that keeps no event ids (a popularity shard): it is written in one transaction with the
 * customer's tally, whose ids tell for both whether an event was counted.
 */
export function addUp(tally: Tally, lines: ReadonlyArray<{ menuItemId: string; quantity: number }>): Tally {
  const counts = { ...tally.counts };
  for (const line of lines) counts[line.menuItemId] = (counts[line.menuItemId] ?? 0) + line.quantity;
  return { counts, orders: tally.orders + 1, countedEventIds: [] };
}

/** Several tallies as one (the popularity shards): counts and orders added up. */
export function merge(tallies: readonly Tally[]): Tally {
  const counts: Record<string, number> = {};
  for (const tally of tallies) for (const [id, n] of Object.entries(tally.counts)) counts[id] = (counts[id] ?? 0) + n;
  return { counts, orders: tallies.reduce((sum, tally) => sum + tally.orders, 0), countedEventIds: [] };
}

export interface Recommendation {
  menuItemId: string;
  reason: 'your favourite' | 'popular with other customers';
}

/** Up to two of the customer's favourites, then up to two popular items they have never tried. */
export function recommend(customer: Tally, everyone: Tally): Recommendation[] {
  const favourites = top(customer.counts, 2).map((menuItemId) => ({ menuItemId, reason: 'your favourite' as const }));
  const untried = top(everyone.counts, Infinity)
    .filter((id) => !(id in customer.counts))
    .slice(0, 2);
  return [...favourites, ...untried.map((menuItemId) => ({ menuItemId, reason: 'popular with other customers' as const }))];
}

function top(counts: Readonly<Record<string, number>>, n: number): string[] {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, n)
    .map(([id]) => id);
}
