import { BRANCH_IDS, MENU_ITEM_IDS } from '@burger/contracts';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../src/adapters/http/api-routes.js';
import type { Services } from '../src/application/ports.js';
import { CustomerOrders } from '../src/application/customer-orders.js';
import { KitchenBoard } from '../src/application/kitchen-board.js';
import { LiveStreams } from '../src/application/live-streams.js';

const services: Services = { call: async () => ({ status: 200, body: {} }), open: async () => ({ status: 200, body: null }) };
const api = apiRoutes(
  {
    customers: new CustomerOrders(services),
    kitchen: new KitchenBoard(services),
    services,
    liveStreams: new LiveStreams(),
    clientAddress: () => '127.0.0.1',
  },
  async (_c, next) => next(),
);
const doc = api.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } }) as unknown as {
  paths: Record<string, Record<string, any>>;
};

describe('the OpenAPI document lets a schema-driven client build valid requests', () => {
  it('declares the branch ids and menu item ids an order accepts, and the problem answers', () => {
    const order = doc.paths['/orders']!.post;
    const body = order.requestBody.content['application/json'].schema;
    expect(body.properties.storeId.enum).toEqual(BRANCH_IDS);
    expect(body.properties.lines.items.properties.menuItemId.enum).toEqual(MENU_ITEM_IDS);
    expect(doc.paths['/favorite-store']!.put.requestBody.content['application/json'].schema.properties.storeId.enum).toEqual(BRANCH_IDS);
    expect(Object.keys(order.responses)).toEqual(expect.arrayContaining(['400', '413', '415']));
    expect(order.responses['400'].content).toHaveProperty(['application/problem+json']);
  });
});
