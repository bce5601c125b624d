import { z } from 'zod';

/**
 * What customers can order and where: the branches and the menu, in one place that every
 * app reads (select-store lists and accepts the branches, order validates and prices with both,
 * the gateway's OpenAPI declares their ids). Why here and not a replica of select-store's list
 * fed by events: branches change with a release (a kitchen, staff, a delivery area come with
 * them), not at run time, and an order for a branch must be refused before the charge even while
 * select-store is down or its events are late; a replica would be empty on a fresh start.
 */
export const BRANCHES = [
  { storeId: 'gangnam', name: 'Gangnam Station', address: '396 Gangnam-daero, Gangnam-gu, Seoul' },
  { storeId: 'jongno', name: 'Jongno 3-ga', address: '110 Jongno, Jongno-gu, Seoul' },
  { storeId: 'hongdae', name: 'Hongik Univ.', address: '188 Yanghwa-ro, Mapo-gu, Seoul' },
  { storeId: 'jamsil', name: 'Jamsil Lotte', address: '240 Olympic-ro, Songpa-gu, Seoul' },
  { storeId: 'yeouido', name: 'Yeouido IFC', address: '10 Gukjegeumyung-ro, Yeongdeungpo-gu, Seoul' },
] as const;

export const BRANCH_IDS = BRANCHES.map((branch) => branch.storeId) as [
  (typeof BRANCHES)[number]['storeId'],
  ...(typeof BRANCHES)[number]['storeId'][],
];

/** A branch a customer may choose or order from (GET /api/branches lists them). */
export const BranchId = z.enum(BRANCH_IDS, { message: `not one of our branches (${BRANCH_IDS.join(', ')}; see GET /api/branches)` });
export type BranchId = z.infer<typeof BranchId>;

/** Prices are integers in the smallest currency unit (won has no minor unit). */
export const MENU = [
  { id: 'bulgogi-burger', name: 'Bulgogi Burger', priceCents: 5_900 },
  { id: 'shrimp-burger', name: 'Shrimp Burger', priceCents: 6_200 },
  { id: 'cheese-burger', name: 'Double Cheese Burger', priceCents: 7_400 },
  { id: 'chicken-burger', name: 'Crispy Chicken Burger', priceCents: 6_500 },
  { id: 'veggie-burger', name: 'Veggie Burger', priceCents: 6_000 },
] as const;

export const MENU_ITEM_IDS = MENU.map((item) => item.id) as [(typeof MENU)[number]['id'], ...(typeof MENU)[number]['id'][]];

/** A burger on the menu (GET /api/menu lists them with their prices). */
export const MenuItemId = z.enum(MENU_ITEM_IDS, { message: `not on the menu (${MENU_ITEM_IDS.join(', ')}; see GET /api/menu)` });
export type MenuItemId = z.infer<typeof MenuItemId>;
