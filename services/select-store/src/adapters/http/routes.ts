import type { Hono } from 'hono';
import { z } from 'zod';
import { CustomerId, SelectFavoriteStoreRequest } from '@burger/contracts';
import { ConcurrentWriteError, parseJsonBody, parseParams, Problem } from '@burger/service-kit';
import { BRANCHES, UnknownBranch, type Favorite } from '../../domain/favorite.js';
import type { SelectFavorite } from '../../application/select-favorite.js';

const CustomerIdParam = z.object({ customerId: CustomerId });

export function mountSelectStoreRoutes(app: Hono, selectFavorite: SelectFavorite): void {
  app.get('/branches', (c) => c.json({ branches: BRANCHES }));

  app.put('/customers/:customerId/favorite-store', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    const { storeId } = await parseJsonBody(c, SelectFavoriteStoreRequest);
    const favorite = await selectFavorite.execute(customerId, storeId).catch((error: unknown) => {
      if (error instanceof ConcurrentWriteError) {
        throw new Problem(
          409,
          'favorite_changed_meanwhile',
          'Your favourite branch was being changed by another request; please try again',
        );
      }
      if (error instanceof UnknownBranch) {
        throw new Problem(400, 'validation_failed', `Invalid request body: storeId: ${error.message}`, {
          fields: [{ field: 'storeId', message: error.message }],
        });
      }
      throw error;
    });
    return c.json(view(favorite));
  });

  app.get('/customers/:customerId/favorite-store', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    const favorite = await selectFavorite.current(customerId);
    if (!favorite) throw new Problem(404, 'no_favorite', `Customer ${customerId} has not chosen a favourite branch`);
    return c.json(view(favorite));
  });
}

function view(favorite: Favorite) {
  return { customerId: favorite.customerId, storeId: favorite.storeId, selectedAt: favorite.selectedAt };
}
