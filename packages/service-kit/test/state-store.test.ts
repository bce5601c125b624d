import { describe, expect, it } from 'vitest';
import { isEtagMismatch } from '../src/state-store.js';

/*
 * The sidecar's answers that mean "someone else wrote first", per store, and some that do not, as DaprStateStore
 * sees them: `state <what> on <store>: <HTTP status> <body>`. Each body is built from Dapr's sources (daprd 1.18.2,
 * components-contrib 1.18.3, the versions tools/daprd builds), cited per row:
 *   - daprd's HTTP state API (dapr/dapr pkg/api/http/http.go): a save or delete failure is
 *     `{"errorCode":"ERR_STATE_SAVE"|"ERR_STATE_DELETE","message":…}` with the texts of pkg/messages/predefined.go
 *     (ErrStateSave "failed saving state in state store %s: %s", ErrStateDelete "failed deleting state with key %s: %s");
 *     `etagError` gives 409 for an ETagError of kind ETagMismatch, 400 for ETagInvalid, anything else 500.
 *     A transaction failure is always 500 ERR_STATE_TRANSACTION, "error while executing state transaction: %s".
 *   - components-contrib state/errors.go: NewETagError's text is "possible etag mismatch. error from state store"
 *     (+ ": <cause>" when it wraps one) or "invalid etag value: <cause>".
 * "live" marks the one part seen on this machine: the Redis text, from redis-server 7.0.15 running state/redis's
 * setDefaultQuery script (first write on an existing key); daprd's script starts with a newline, hence line 14 there.
 */
const save = (status: number, store: string, message: string) =>
  `state save on ${store}: ${status} ${JSON.stringify({ errorCode: 'ERR_STATE_SAVE', message: `failed saving state in state store ${store}: ${message}` })}`;
const transaction = (store: string, message: string) =>
  `state transaction on ${store}: 500 ${JSON.stringify({ errorCode: 'ERR_STATE_TRANSACTION', message: `error while executing state transaction: ${message}` })}`;
const MISMATCH = 'possible etag mismatch. error from state store';
const REDIS_SCRIPT_ERROR = (key: string) =>
  `ERR user_script:14: failed to set key ${key} script: 61e5c0e4a27911f658541f0604fc68b886f791a6, on @user_script:14.`;

describe('isEtagMismatch: what Dapr answers for a conflict, per store', () => {
  it.each([
    // PostgreSQL v1 (orderstore): common/component/postgresql/v1/postgresql.go doSet/doDelete.
    ['postgresql v1: ETag mismatch (UPDATE … WHERE xmin touched no row)', save(409, 'orderstore', MISMATCH), true],
    [
      'postgresql v1: first write on an existing key (INSERT … ON CONFLICT DO NOTHING touched no row)',
      save(500, 'orderstore', 'no item was updated'),
      true,
    ],
    [
      'postgresql v1: an ETag that is not a number (ETagInvalid, strconv.ParseUint)',
      save(400, 'orderstore', 'invalid etag value: strconv.ParseUint: parsing "abc": invalid syntax'),
      true,
    ],
    [
      'postgresql v1: transaction with a stale ETag (Multi → pgtransactions, error passed through)',
      transaction('orderstore', MISMATCH),
      true,
    ],
    ['postgresql v1: transaction, first write on an existing key', transaction('orderstore', 'no item was updated'), true],
    // PostgreSQL v2: state/postgresql/v2/postgresql.go doSet.
    ['postgresql v2: ETag mismatch', save(409, 'orderstore', MISMATCH), true],
    ['postgresql v2: first write on an existing key', save(500, 'orderstore', 'no item was updated'), true],
    [
      'postgresql v2: an ETag that is not a UUID (reported as a mismatch)',
      save(409, 'orderstore', `${MISMATCH}: invalid UUID length: 3`),
      true,
    ],
    // Redis (storequeue, viewstore, notificationstore): state/redis/redis.go Set (setDefaultQuery's error); live: the Redis text.
    [
      'redis: ETag mismatch (script error wrapped as ETagMismatch)',
      save(409, 'storequeue', `${MISMATCH}: ${REDIS_SCRIPT_ERROR('store||branch-gangnam')}`),
      true,
    ],
    [
      'redis: first write on an existing key ("failed to set key %s: %w", not an ETagError)',
      save(500, 'storequeue', `failed to set key store||branch-gangnam: ${REDIS_SCRIPT_ERROR('store||branch-gangnam')}`),
      true,
    ],
    [
      'redis: transaction with a stale ETag (Multi: pipe.Exec error passed through)',
      transaction('storequeue', REDIS_SCRIPT_ERROR('store||ticket-1')),
      true,
    ],
    [
      'redis: delete with a stale ETag (state/redis Delete, ERR_STATE_DELETE 409)',
      `state delete on storequeue: 409 ${JSON.stringify({ errorCode: 'ERR_STATE_DELETE', message: `failed deleting state with key ticket-1: ${MISMATCH}: ERR user_script:6: failed to delete store||ticket-1 script: 1b2c, on @user_script:6.` })}`,
      true,
    ],
    // SQLite (paymentstore and favoritestore locally): state/sqlite/sqlite_dbaccess.go doSet.
    ['sqlite: ETag mismatch (UPDATE … WHERE etag touched no row)', save(409, 'paymentstore', MISMATCH), true],
    [
      'sqlite: first write on an existing key (INSERT … WHERE NOT EXISTS returned no row: ETagMismatch)',
      save(409, 'paymentstore', MISMATCH),
      true,
    ],
    ['sqlite: transaction with a stale ETag', transaction('paymentstore', MISMATCH), true],
    // MongoDB (paymentstore on Kubernetes): state/mongodb/mongodb.go setInternal (duplicate key on the upsert → ETagMismatch;
    // the cause's text is mongo-driver's WriteException, "write exception: write errors: […]").
    [
      'mongodb: ETag mismatch or first write on an existing key (E11000 on the upsert)',
      save(
        409,
        'paymentstore',
        `${MISMATCH}: write exception: write errors: [E11000 duplicate key error collection: daprStore.daprCollection index: _id_ dup key: { _id: "pay||payment-1" }]`,
      ),
      true,
    ],
    [
      'mongodb: transaction with a stale ETag',
      transaction(
        'paymentstore',
        `error during transaction, aborting the transaction: ${MISMATCH}: write exception: write errors: [E11000 duplicate key error]`,
      ),
      true,
    ],
    // Kept from the table before this one (their source was not found in daprd 1.18.2 / components-contrib 1.18.3).
    ['earlier row: a 409 as a JSON status', 'Error: {"error":"Conflict","status":409}', true],
    [
      'earlier row: Redis first write, older script text',
      '{"errorCode":"ERR_STATE_SAVE","message":"failed saving state in state store storequeue: failed to set key store||branch-gangnam: ERR user_script:1: Script attempted to access nonexistent global variable"}',
      true,
    ],
  ])('%s', (_, message, conflict) => {
    expect(isEtagMismatch(new Error(message))).toBe(conflict);
  });
});

describe('isEtagMismatch: failures that are not conflicts (retrying on fresh data would not help)', () => {
  it.each([
    // pgx's connect error (common/component/postgresql/v1 passes db errors through).
    [
      'postgresql unreachable',
      save(
        500,
        'orderstore',
        'failed to connect to `user=burger database=burger`: 127.0.0.1:5432 (127.0.0.1): dial error: dial tcp 127.0.0.1:5432: connect: connection refused',
      ),
      false,
    ],
    [
      'postgresql: transaction could not begin (pgtransactions "failed to begin transaction: %w")',
      transaction('orderstore', 'failed to begin transaction: conn closed'),
      false,
    ],
    ['redis unreachable', save(500, 'storequeue', 'dial tcp 127.0.0.1:6379: connect: connection refused'), false],
    ['sqlite busy', save(500, 'paymentstore', 'database is locked (5) (SQLITE_BUSY)'), false],
    [
      'mongodb: another write error (mongodb.go "error in updating document: %w")',
      save(500, 'paymentstore', 'error in updating document: server selection error: context deadline exceeded'),
      false,
    ],
    [
      'redis: bad TTL metadata (state/redis "failed to parse ttl from metadata: %w")',
      transaction('storequeue', 'failed to parse ttl from metadata: strconv.ParseInt: parsing "x": invalid syntax'),
      false,
    ],
    [
      'no such store (ERR_STATE_STORE_NOT_FOUND)',
      `state save on orderstor: 400 ${JSON.stringify({ errorCode: 'ERR_STATE_STORE_NOT_FOUND', message: 'state store orderstor is not found' })}`,
      false,
    ],
    ['our own call timed out', 'The operation was aborted due to timeout', false],
  ])('%s', (_, message, conflict) => {
    expect(isEtagMismatch(new Error(message))).toBe(conflict);
  });
});
