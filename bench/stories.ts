/** Valid stories as many different citizens would send them: each its own words, key and address. */

export const SERVICE = 'missed-bin-collection';
/** The seeded webhook subscription of the demo department, pointed at the benchmark's receiver. */
export const SUBSCRIPTION = 'demo-inbox';

let sequence = 0;

/** A number written in letters, so no redaction rule or repeat check mistakes it for anything. */
function letters(n: number): string {
  return [...n.toString(26)].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 26))).join('');
}

/** The headers and body of one new story's POST, as the widget sends it (text/plain JSON). */
export function storyRequest(origin: string, token: string) {
  const n = ++sequence;
  return {
    headers: {
      'Content-Type': 'text/plain;charset=UTF-8',
      Origin: origin,
      // Each story from its own address: the burst limit (30 a minute per address) is for people.
      'CF-Connecting-IP': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    },
    body: JSON.stringify({
      service: SERVICE,
      rating: (n % 5) + 1,
      story: `The crew missed our street on Tuesday, reference ${letters(n)}, and came back the next morning.`,
      idempotency_key: crypto.randomUUID(),
      token,
      locale: 'en',
    }),
  };
}

/** A form token, as the widget gets one each time it shows: a token makes one story. */
export async function formToken(workerOrigin: string): Promise<string> {
  const res = await fetch(`${workerOrigin}/v1/services/${SERVICE}/widget`);
  const { token } = (await res.json()) as { token: string };
  return token;
}

/** `count` form tokens, fetched before a load run (eight at a time), so the run measures only posts. */
export async function formTokens(workerOrigin: string, count: number): Promise<string[]> {
  const tokens: string[] = Array(count).fill('');
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      tokens[index] = await formToken(workerOrigin);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return tokens;
}
