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

export const STANDARD_MENU = new Menu([
  { id: 'bulgogi-burger', name: 'Bulgogi Burger', priceCents: 5_900 },
  { id: 'shrimp-burger', name: 'Shrimp Burger', priceCents: 6_200 },
  { id: 'cheese-burger', name: 'Double Cheese Burger', priceCents: 7_400 },
  { id: 'chicken-burger', name: 'Crispy Chicken Burger', priceCents: 6_500 },
  { id: 'veggie-burger', name: 'Veggie Burger', priceCents: 6_000 },
]);
