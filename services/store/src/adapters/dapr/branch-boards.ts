import type { Versioned, VersionedStore } from '@burger/service-kit';
import { emptyBoard, type BranchBoard } from '../../domain/branch-board.js';
import type { BranchBoards, VersionedBoard } from '../../application/ports.js';

/** Each branch's board (its open orders) is one small key in `storequeue` (Redis): `branch-<storeId>`, ETag-guarded. */
export class DaprBranchBoards implements BranchBoards {
  constructor(private readonly store: VersionedStore) {}

  async load(storeId: string): Promise<VersionedBoard> {
    return boardFrom(storeId, (await this.store.readVersions([boardKey(storeId)])).get(boardKey(storeId)));
  }

  async save(board: BranchBoard, version: string | undefined): Promise<void> {
    await this.store.putAll([{ key: boardKey(board.storeId), value: board, etag: version }]);
  }
}

export const boardKey = (storeId: string) => `branch-${storeId}`;

/** A board as the store holds it (absent: never stored). */
export function boardFrom(storeId: string, stored: Versioned<unknown> | undefined): VersionedBoard {
  return stored ? { board: stored.value as BranchBoard, version: stored.etag } : { board: emptyBoard(storeId) };
}
