// The plugin kit (src/plugins/kit/): what every built-in plugin shares and a user plugin may use.
// Retry-After values are worked out by hand from RFC 9110 §10.2.3 and §5.6.7: the RFC's own
// example instant, Sun, 06 Nov 1994 08:49:37 GMT, is 784111777 s after the epoch.
import { describe, expect, it } from 'vitest';
import { type GenerateRequest, ModelCallError } from '../../src/plugins/contract.js';
import { ClientLifetime } from '../../src/plugins/kit/clientLifetime.js';
import { errorCodes, innermostReason } from '../../src/plugins/kit/errorCauses.js';
import { checkRequest } from '../../src/plugins/kit/requestChecks.js';
import { retryAfterMs } from '../../src/plugins/kit/retryAfter.js';
import { SettingsReader } from '../../src/plugins/kit/settings.js';

const RFC_EXAMPLE = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT
const NEW_YEAR_2026 = 1_767_225_600_000; // Thu, 01 Jan 2026 00:00:00 GMT

const wait = (headers: Record<string, string>, now?: number) => retryAfterMs(new Headers(headers), now);

describe('retryAfterMs', () => {
  it('reads delay-seconds', () => {
    expect(wait({ 'retry-after': '120' })).toBe(120_000);
    expect(wait({ 'retry-after': '0' })).toBe(0);
    // Not RFC grammar, but sent by some servers: honored, never shorter than asked.
    expect(wait({ 'retry-after': '1.5' })).toBe(1_500);
  });

  it('reads all three HTTP-date forms, as GMT, relative to now', () => {
    expect(wait({ 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }, RFC_EXAMPLE - 90_000)).toBe(90_000);
    expect(wait({ 'retry-after': 'Sunday, 06-Nov-94 08:49:37 GMT' }, RFC_EXAMPLE - 5_000)).toBe(5_000);
    expect(wait({ 'retry-after': 'Sun Nov  6 08:49:37 1994' }, RFC_EXAMPLE - 1_000)).toBe(1_000);
    // A date already past means "now".
    expect(wait({ 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }, RFC_EXAMPLE + 1)).toBe(0);
  });

  it('reads a two-digit rfc850 year as at most 50 years ahead', () => {
    // 2035-01-01 is 9 years (two of them leap) = 3287 days after 2026-01-01.
    expect(wait({ 'retry-after': 'Monday, 01-Jan-35 00:00:00 GMT' }, NEW_YEAR_2026)).toBe(3287 * 86_400_000);
    // "80" would be 54 years ahead: it is 1980, long past.
    expect(wait({ 'retry-after': 'Tuesday, 01-Jan-80 00:00:00 GMT' }, NEW_YEAR_2026)).toBe(0);
  });

  it('prefers retry-after-ms, and falls back when it is unreadable', () => {
    expect(wait({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(wait({ 'retry-after-ms': '12.3' })).toBe(13);
    expect(wait({ 'retry-after-ms': 'soon', 'retry-after': '2' })).toBe(2_000);
  });

  it('says nothing for what is neither form', () => {
    for (const value of [
      'soon',
      '-5',
      '1e3',
      '0x10',
      '2026-01-01T00:00:00Z', // ISO 8601 is not an HTTP-date
      'Sun, 06 Nov 1994 08:49:37 PST', // HTTP-dates are in GMT only
      'Sun, 31 Feb 1994 08:49:37 GMT', // no such day
      'Sun, 06 Nov 1994 24:00:00 GMT',
    ])
      expect(wait({ 'retry-after': value }, RFC_EXAMPLE), value).toBeUndefined();
    expect(wait({})).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('SettingsReader', () => {
  const read = new SettingsReader('demo', {
    name: '  llama  ',
    blank: '   ',
    count: '8',
    big: 9000,
    flag: 'true',
    mode: 'fast',
    list: 'a, b,\nc,,',
    bad: 3,
  });

  it('reads trimmed strings, with blank and absent falling back', () => {
    expect(read.string('name')).toBe('llama');
    expect(read.string('blank', 'fallback')).toBe('fallback');
    expect(read.string('absent')).toBeUndefined();
    expect(() => read.string('bad')).toThrow('demo: setting "bad" must be a string (got number)');
    expect(() => read.requiredString('absent', 'a model id')).toThrow(
      'demo: setting "absent" is required (a model id)',
    );
  });

  it('reads integers (numeric strings too) within their range', () => {
    expect(read.integer('count', 1, 10)).toBe(8);
    expect(read.integer('absent', 1, 10)).toBeUndefined();
    expect(read.integer('absent', 1, 10, 4)).toBe(4);
    expect(() => read.integer('big', 1, 4096)).toThrow(
      'demo: setting "big" must be an integer from 1 to 4096 (got 9000)',
    );
    expect(() => read.integer('name', 1, 10)).toThrow(/must be an integer/);
  });

  it('reads booleans, choices and lists', () => {
    expect(read.boolean('flag', false)).toBe(true);
    expect(read.boolean('absent', true)).toBe(true);
    expect(() => read.boolean('count', false)).toThrow('demo: setting "count" must be true or false (got "8")');
    expect(read.choice('absent', ['chat', 'completion'], 'chat')).toBe('chat');
    expect(() => read.choice('mode', ['chat', 'completion'], 'chat')).toThrow(
      'demo: setting "mode" must be "chat" or "completion" (got "fast")',
    );
    expect(read.stringList('list')).toEqual(['a', 'b', 'c']);
    expect(read.stringList('absent')).toEqual([]);
    expect(() => read.stringList('bad')).toThrow('demo: setting "bad" must be a list of strings');
  });
});

describe('checkRequest', () => {
  const ok: GenerateRequest = { input: { kind: 'text', text: 'hi' }, temperature: 0.7, maxTokens: 16, n: 1 };
  const single = { multipleSamples: false };
  const multi = { multipleSamples: true };
  const failure = (request: Partial<GenerateRequest>, caps = single): string | undefined => {
    try {
      checkRequest({ ...ok, ...request }, 'demo', caps);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(ModelCallError);
      expect((error as ModelCallError).kind).toBe('bad-request');
      return (error as Error).message;
    }
  };

  it('passes a good request', () => {
    expect(failure({})).toBeUndefined();
    expect(failure({ n: 3, topP: 1, seed: 7 }, multi)).toBeUndefined();
  });

  it('refuses what no backend should be sent', () => {
    expect(failure({ n: 2 })).toMatch(/^demo: n = 2 is not supported/);
    expect(failure({ n: 0 }, multi)).toBe('demo: n must be a positive integer (got 0)');
    expect(failure({ maxTokens: 0 })).toBe('demo: maxTokens must be a positive integer (got 0)');
    expect(failure({ temperature: Number.NaN })).toBe('demo: temperature must be >= 0 (got NaN)');
    expect(failure({ topP: 0 })).toBe('demo: topP must be in (0, 1] (got 0)');
    expect(failure({ seed: 1.5 })).toBe('demo: seed must be an integer (got 1.5)');
    expect(failure({ input: { kind: 'chat', messages: [] } })).toBe('demo: a chat input needs at least one message');
  });
});

describe('ClientLifetime', () => {
  it('dispose aborts the calls in flight, waits for them, then releases, once', async () => {
    const lifetime = new ClientLifetime('demo');
    const order: string[] = [];
    const call = lifetime.track(
      () =>
        new Promise<string>((resolve) =>
          lifetime.signal.addEventListener('abort', () =>
            setTimeout(() => {
              order.push('call');
              resolve('done');
            }, 10),
          ),
        ),
    );
    const release = async (): Promise<void> => {
      order.push('release');
    };
    const disposed = lifetime.dispose(release);
    expect(lifetime.dispose(release)).toBe(disposed);
    expect(lifetime.signal.aborted).toBe(true);
    expect(lifetime.disposed).toBe(true);
    await disposed;
    expect(await call).toBe('done');
    expect(order).toEqual(['call', 'release']);
  });

  it('refuses calls after dispose and turns a synchronous throw into a rejection', async () => {
    const lifetime = new ClientLifetime('demo');
    await expect(
      lifetime.track(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await lifetime.dispose();
    const refused = lifetime.track(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(ModelCallError);
    await expect(refused).rejects.toMatchObject({ kind: 'bad-request', message: 'demo: the client has been disposed' });
  });
});

describe('error causes', () => {
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('finds the socket error under fetch', () => {
    const error = new TypeError('fetch failed', { cause: coded('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED') });
    expect(innermostReason(error)).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(errorCodes(error)).toEqual(['ECONNREFUSED']);
  });

  it('takes the first address of a happy-eyeballs AggregateError and lists every code', () => {
    const aggregate = Object.assign(
      new AggregateError(
        [coded('connect ECONNREFUSED ::1:9', 'ECONNREFUSED'), coded('connect ETIMEDOUT 127.0.0.1:9', 'ETIMEDOUT')],
        '',
      ),
      { code: 'ECONNREFUSED' },
    );
    const error = new TypeError('fetch failed', { cause: aggregate });
    expect(innermostReason(error)).toBe('connect ECONNREFUSED ::1:9');
    expect(errorCodes(error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ETIMEDOUT']);
  });

  it('without codes, skips the wrappers’ words', () => {
    expect(innermostReason(new TypeError('terminated', { cause: new Error('other side closed') }))).toBe(
      'other side closed',
    );
    expect(innermostReason(new TypeError('fetch failed'))).toBe('fetch failed');
    expect(innermostReason('plain')).toBe('plain');
  });
});
