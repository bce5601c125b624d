import { describe, expect, it } from 'vitest';
import { isEtagMismatch } from '../src/state-store.js';

/** The sidecar's error texts that mean "someone else wrote first", per store (and some that do not). */
describe('isEtagMismatch', () => {
  it.each([
    ['ETag mismatch (any store)', '{"errorCode":"ERR_STATE_SAVE","message":"failed saving state in state store orderstore: possible etag mismatch. error from state store: ETag does not match"}', true],
    ['invalid ETag', '{"errorCode":"ERR_STATE_SAVE","message":"failed saving state in state store storequeue: invalid etag value"}', true],
    ['transaction, HTTP 409', 'Error: {"error":"Conflict","status":409}', true],
    ['Redis first write on an existing key', '{"errorCode":"ERR_STATE_SAVE","message":"failed saving state in state store storequeue: failed to set key store||branch-gangnam: ERR user_script:1: Script attempted to access nonexistent global variable"}', true],
    ['PostgreSQL v1 first write on an existing key', '{"errorCode":"ERR_STATE_SAVE","message":"failed saving state in state store orderstore: no item was updated"}', true],
    ['store unreachable', '{"errorCode":"ERR_STATE_SAVE","message":"failed saving state in state store orderstore: failed to connect to `host=127.0.0.1`"}', false],
    ['timeout', 'The operation was aborted due to timeout', false],
  ])('%s', (_, message, conflict) => {
    expect(isEtagMismatch(new Error(message))).toBe(conflict);
  });
});
