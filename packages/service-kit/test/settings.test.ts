import { describe, expect, it } from 'vitest';
import { requiredAddress, requiredPort, SettingMissing } from '../src/settings.js';

describe('settings a process must be given', () => {
  it('reads a port', () => {
    expect(requiredPort('APP_PORT', { APP_PORT: '3001' })).toBe(3001);
    expect(requiredPort('APP_PORT', { APP_PORT: ' 8080 ' })).toBe(8080);
  });

  it('stops on a missing port, naming the variable and where ports come from', () => {
    expect(() => requiredPort('APP_PORT', {})).toThrow(SettingMissing);
    expect(() => requiredPort('APP_PORT', { APP_PORT: '' })).toThrow(/APP_PORT is not set: ports come from dapr.yaml/);
  });

  it.each(['0', '65536', '30o1', '-1', '3001.5', 'http'])('refuses %j as a port', (value) => {
    expect(() => requiredPort('ORDER_GRPC_PORT', { ORDER_GRPC_PORT: value })).toThrow(/ORDER_GRPC_PORT: .* is not a TCP port/);
  });

  it('reads a host:port address', () => {
    expect(requiredAddress('RATE_LIMIT_REDIS', { RATE_LIMIT_REDIS: '127.0.0.1:6379' })).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(requiredAddress('RATE_LIMIT_REDIS', { RATE_LIMIT_REDIS: 'redis:6379' })).toEqual({ host: 'redis', port: 6379 });
  });

  it.each([undefined, '', 'redis', ':6379', 'redis:', 'redis:port'])('refuses %j as an address', (value) => {
    expect(() => requiredAddress('RATE_LIMIT_REDIS', value === undefined ? {} : { RATE_LIMIT_REDIS: value })).toThrow(/RATE_LIMIT_REDIS/);
  });
});
