import { PAGE_CURSOR } from '@burger/contracts';
import {
  ConcurrentWriteError,
  KeyedTurns,
  versioned,
  type KeyRecords,
  type KnownRead,
  type StoredVersion,
  type WriteMark,
} from './optimistic.js';

/** The page being filled (newest first) and how many full pages were frozen before it. */
interface Head<T> {
  items: T[];
  frozenPages: number;
}

interface Position {
  page: 'head' | number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; absent on the last page. */
  nextCursor?: string;
}

/**
 * A per-owner list (a customer's orders, payments, messages) that never becomes
 * one big record: new items go to a small head page, newest first; a full head
 * is frozen under its number (written once, never again) and a new head starts.
 * Adding rewrites only the head (≤ pageSize items); reading walks pages from the
 * newest with a cursor. Key reads and ETag writes only, so it works on every store.
 */
export class PagedList<T> {
  /** A customer acting on many orders at once makes their head page a hot key. */
  private readonly turns = new KeyedTurns();

  constructor(
    private readonly store: KeyRecords<unknown>,
    /** Key prefix, e.g. `customer-orders` → `customer-orders-<owner>`, `customer-orders-<owner>-page-<n>`. */
    private readonly name: string,
    private readonly identity: (item: T) => string,
    readonly pageSize = 50,
  ) {}

  /**
   * Adds `item` at the front unless the head already has it (a redelivery); false when it was there.
   * `known` is the head as the caller already read it (absent: the key was missing) with `markHeadOf` taken
   * before, so the first attempt costs no read of its own while no add here wrote that head since; another
   * replica's write since is a conflict that reads afresh.
   */
  async add(owner: string, item: T, known?: KnownRead<StoredVersion<unknown> | undefined>): Promise<boolean> {
    const heads = versioned<unknown>(this.store, { turns: this.turns });
    const { added } = await heads.update(this.headKey(owner), (stored) => this.prepend(owner, item, stored), known);
    return added;
  }

  /** The decision for one add on the head as read: the new head to write (none for a redelivery). */
  private async prepend(owner: string, item: T, stored: StoredVersion<unknown> | undefined): Promise<{ write?: unknown; added: boolean }> {
    const head = asHead<T>(stored?.value);
    if (head.items.some((existing) => this.identity(existing) === this.identity(item))) return { added: false };
    if (head.items.length < this.pageSize) return { write: { ...head, items: [item, ...head.items] }, added: true };
    // Freeze the full head under its number (a first write, so a retry after a crash finds it there), then start anew.
    await this.store.put(this.pageKey(owner, head.frozenPages), head.items).catch((error: unknown) => {
      if (!(error instanceof ConcurrentWriteError)) throw error;
    });
    return { write: { items: [item], frozenPages: head.frozenPages + 1 }, added: true };
  }

  /** Taken right before reading `owner`'s head along with other keys: what makes that read usable by `add`. */
  markHeadOf(owner: string): WriteMark | undefined {
    return this.turns.mark(this.headKey(owner));
  }

  /**
   * Newest first, `limit` at a time, from `cursor` (a previous page's nextCursor). An item added between two
   * calls shifts the head by one, so a page may repeat an entry, never skip one.
   */
  async page(owner: string, { limit, cursor }: { limit: number; cursor?: string | undefined }): Promise<Page<T>> {
    const head = asHead<T>((await this.store.get(this.headKey(owner)))?.value);
    const older = (page: Position['page']): Position['page'] | undefined =>
      page === 'head' ? (head.frozenPages > 0 ? head.frozenPages - 1 : undefined) : page > 0 ? page - 1 : undefined;
    let at: Position | undefined = cursor ? parseCursor(cursor) : { page: 'head', offset: 0 };
    const items: T[] = [];
    while (at && items.length < limit) {
      const entries =
        at.page === 'head' ? head.items : (((await this.store.get(this.pageKey(owner, at.page)))?.value as T[] | undefined) ?? []);
      const taken = entries.slice(at.offset, at.offset + limit - items.length);
      items.push(...taken);
      const offset = at.offset + taken.length;
      const next = older(at.page);
      at = offset < entries.length ? { page: at.page, offset } : next === undefined ? undefined : { page: next, offset: 0 };
    }
    return { items, ...(at ? { nextCursor: `${at.page}:${at.offset}` } : {}) };
  }

  /** The key of `owner`'s head page, for a caller that reads it along with its own keys (`add`'s `known`). */
  headKey(owner: string): string {
    return `${this.name}-${owner}`;
  }

  private pageKey(owner: string, page: number): string {
    return `${this.name}-${owner}-page-${page}`;
  }
}

/** A head as stored; a plain array is the unpaged list that came before (read as a head with no frozen pages). */
function asHead<T>(stored: unknown): Head<T> {
  if (Array.isArray(stored)) return { items: stored as T[], frozenPages: 0 };
  return (stored as Head<T> | undefined) ?? { items: [], frozenPages: 0 };
}

function parseCursor(cursor: string): Position | undefined {
  const match = PAGE_CURSOR.exec(cursor);
  if (!match) return undefined;
  return { page: match[1] === 'head' ? 'head' : Number(match[1]), offset: Number(match[2]) };
}
