// How long a server asks the client to wait before retrying, in milliseconds: OpenAI's
// `retry-after-ms` extension, else the standard `Retry-After` (RFC 9110 §10.2.3), which is
// either delay-seconds or an HTTP-date. The host's scheduler honors it on retriable errors.

/** The part of the Fetch API's Headers this needs. */
interface HeaderSource {
  get(name: string): string | null;
}

/** Milliseconds to wait, or undefined when the headers do not say (or say nothing readable). */
export function retryAfterMs(headers: HeaderSource | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms')?.trim();
  if (ms && DECIMAL.test(ms)) return Math.ceil(Number(ms));
  const after = headers?.get('retry-after')?.trim();
  if (!after) return undefined;
  // delay-seconds is 1*DIGIT; a decimal fraction, which some servers send, is honored too.
  if (DECIMAL.test(after)) return Math.ceil(Number(after) * 1000);
  const date = httpDate(after, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}

const DECIMAL = /^\d+(\.\d+)?$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const DAY_NAME_LONG = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
// RFC 9110 §5.6.7: a recipient must accept all three forms; all are in GMT.
const HTTP_DATES = [
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  new RegExp(`^${DAY_NAME}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  // rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT
  new RegExp(`^${DAY_NAME_LONG}, (?<day>\\d{2})-${MONTH}-(?<yy>\\d{2}) ${TIME} GMT$`),
  // asctime-date: Sun Nov  6 08:49:37 1994
  new RegExp(`^${DAY_NAME} ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`),
];

/** An HTTP-date as epoch milliseconds; undefined when `text` is not one. */
function httpDate(text: string, now: number): number | undefined {
  const parts = HTTP_DATES.map((form) => form.exec(text)?.groups).find((groups) => groups !== undefined);
  if (!parts) return undefined;
  const [day, hour, minute, second] = [parts.day, parts.hour, parts.minute, parts.second].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const month = MONTHS.indexOf(parts.month!);
  const year = parts.year !== undefined ? Number(parts.year) : fullYear(Number(parts.yy), now);
  if (hour > 23 || minute > 59 || second > 60) return undefined; // 60: a leap second
  // Date.UTC rolls 31 Feb over into March; such a date is not a date.
  if (day < 1 || new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return undefined;
  return Date.UTC(year, month, day, hour, minute, second);
}

/** rfc850's two-digit year: one more than 50 years ahead is the latest past year with those digits. */
function fullYear(yy: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const year = thisYear - (thisYear % 100) + yy;
  return year > thisYear + 50 ? year - 100 : year;
}
