import { MENU } from '@burger/contracts';

/** A burger on the menu. Prices are integers in the smallest currency unit (won has no minor unit). */
export interface MenuItem {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
}

/** The menu the order total is computed from. The client never sends a price. */
export class Menu {
  private readonly items: ReadonlyMap<string, MenuItem>;

  constructor(items: readonly MenuItem[]) {
    this.items = new Map(items.map((item) => [item.id, item]));
  }

  find(id: string): MenuItem | undefined {
    return this.items.get(id);
  }

  all(): MenuItem[] {
    return [...this.items.values()];
  }
}

/** Today's menu: the one list in contracts, which also declares the item ids in the public API. */
export const STANDARD_MENU = new Menu(MENU);
