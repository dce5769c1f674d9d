import { describe, expect, it } from 'vitest';
import { isPrivateAddress, privateHostProblem } from '@merchantops/core/notifications/private-address';

describe('callbacks never reach internal addresses from AWS', () => {
  it.each(['10.1.2.3', '127.0.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])(
    '%s is private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:1.1.1.1'])('%s is public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it('resolves host names and refuses one that points inside', async () => {
    expect(await privateHostProblem('localhost')).toMatch(/^callback host localhost resolves to a private address/);
    expect(await privateHostProblem('[::1]')).toMatch(/private address \(::1\)/);
    expect(await privateHostProblem('203.0.113.7')).toBeUndefined();
  });
});
