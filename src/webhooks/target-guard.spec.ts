import { checkTarget, isBlockedAddress, Resolve } from './target-guard';
import { afterFailure, retryDelayMs } from './retry';

describe('webhook target guard', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'fec0::1',
    '2002:7f00:1::1',
    '2002:c0a8:101::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('blocks %s', (address) => expect(isBlockedAddress(address)).toBe(true));

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1', '2001:4860::8888'])(
    'lets %s through',
    (address) => expect(isBlockedAddress(address)).toBe(false),
  );

  const resolvingTo =
    (...addresses: string[]): Resolve =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name when any of its addresses is private, and pins the first checked address', async () => {
    await expect(checkTarget('https://hooks.example.com/x', false, resolvingTo('93.184.215.14', '10.0.0.7'))).rejects.toThrow(
      'hooks.example.com resolves to 10.0.0.7',
    );
    await expect(checkTarget('https://hooks.example.com/x', false, resolvingTo('93.184.215.14'))).resolves.toMatchObject({
      address: '93.184.215.14',
      family: 4,
    });
    await expect(checkTarget('https://hooks.example.com/x', true, resolvingTo('127.0.0.1'))).resolves.toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses http (unless private targets are allowed), user info, other schemes and names that do not resolve', async () => {
    const none: Resolve = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(checkTarget('http://93.184.215.14/x', false)).rejects.toThrow('url must use https');
    await expect(checkTarget('http://127.0.0.1:8080/x', true)).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkTarget('ftp://93.184.215.14/x', true)).rejects.toThrow('url must use https');
    await expect(checkTarget('https://a:b@93.184.215.14/x', false)).rejects.toThrow('user name or password');
    await expect(checkTarget('not a url', false)).rejects.toThrow('absolute URL');
    await expect(checkTarget('https://nowhere.invalid/x', false, none)).rejects.toThrow('does not resolve');
    // At write time a name without a record yet is taken (it reaches nothing; every attempt checks again).
    await expect(checkTarget('https://nowhere.invalid/x', false, none, 'accept')).resolves.toBeUndefined();
    await expect(checkTarget('https://localhost/x', false, resolvingTo('127.0.0.1'), 'accept')).rejects.toThrow('public address');
  });
});

describe('webhook retries', () => {
  it('waits a random time up to base × 2^(n-1), capped at an hour (full jitter)', () => {
    expect(retryDelayMs(1, 5000, () => 0.999999)).toBe(4999);
    expect(retryDelayMs(3, 5000, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(30, 5000, () => 0.5)).toBe(1_800_000);
    expect(retryDelayMs(2, 5000, () => 0)).toBe(0);
  });

  it('is dead once the first attempt is the retry window old', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    const at = (ms: number) => new Date(first.getTime() + ms);
    expect(afterFailure({ attempt: 2, firstAttemptAt: first, now: at(999), baseMs: 100, retryForMs: 1000 }, () => 0.5)).toEqual({
      dead: false,
      nextAttemptAt: at(1099),
    });
    expect(afterFailure({ attempt: 2, firstAttemptAt: first, now: at(1000), baseMs: 100, retryForMs: 1000 })).toEqual({ dead: true });
  });
});
