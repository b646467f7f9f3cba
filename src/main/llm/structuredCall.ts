// Asks a role for JSON: schema-constrained where the backend can, validated always, one repair
// re-ask per unusable reply. Sampled calls validate each sample on its own.
import type { JsonSchema } from '../../plugins/contract.js';
import type { RoleClient } from './roleClient.js';
import { type Interpretation, requestStructured, type StructuredOutcome } from './structuredOutput.js';

/** A free-text field of a reply's JSON schema: capped only when the config asks (`jsonTextMaxChars`). */
export function textSchema(maxChars?: number): { type: 'string'; maxLength?: number } {
  return maxChars === undefined ? { type: 'string' } : { type: 'string', maxLength: maxChars };
}

export interface JsonAsk<T> {
  prompt: string;
  interpret: (value: unknown) => Interpretation<T>;
  jsonSchema: JsonSchema;
  repairMessage: (error: string) => string;
  rolloutId?: string;
  signal?: AbortSignal;
}

/** An outcome with the cache keys of the calls that gave it (the first reply's, and the repair's when asked). */
export type AskedOutcome<T> = StructuredOutcome<T> & { keys: string[] };

export async function askForJson<T>(client: RoleClient, ask: JsonAsk<T>, samples = 1): Promise<AskedOutcome<T>[]> {
  const messages = [{ role: 'user' as const, content: ask.prompt }];
  const options = { jsonSchema: ask.jsonSchema, signal: ask.signal };
  const first = { kind: 'chat' as const, messages };
  const firstOptions = { ...options, n: samples, rolloutId: ask.rolloutId };
  const replies = await client.generate(first, firstOptions);
  return Promise.all(
    replies.map(async (reply, i) => {
      const keys = [client.keyFor(first, firstOptions)];
      const outcome = await requestStructured(
        {
          messages,
          interpret: ask.interpret,
          repairMessage: ask.repairMessage,
          send: async (conversation) => {
            const input = { kind: 'chat' as const, messages: conversation };
            const repairOptions = {
              ...options,
              repair: true,
              rolloutId: ask.rolloutId === undefined ? undefined : `${ask.rolloutId}:repair${i}`,
            };
            keys.push(client.keyFor(input, repairOptions));
            const [text] = await client.generate(input, repairOptions);
            return text ?? '';
          },
        },
        reply,
      );
      return { ...outcome, keys };
    }),
  );
}
