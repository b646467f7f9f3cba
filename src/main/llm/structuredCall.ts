// Asks a role for JSON: schema-constrained where the backend can, validated always, one repair
// re-ask per unusable reply. Sampled calls validate each sample on its own.
import type { JsonSchema } from '../../plugins/contract.js';
import type { RoleClient } from './roleClient.js';
import { type Interpretation, requestStructured, type StructuredOutcome } from './structuredOutput.js';

export interface JsonAsk<T> {
  prompt: string;
  interpret: (value: unknown) => Interpretation<T>;
  jsonSchema: JsonSchema;
  repairMessage: (error: string) => string;
  rolloutId?: string;
  signal?: AbortSignal;
}

export async function askForJson<T>(client: RoleClient, ask: JsonAsk<T>, samples = 1): Promise<StructuredOutcome<T>[]> {
  const messages = [{ role: 'user' as const, content: ask.prompt }];
  const options = { jsonSchema: ask.jsonSchema, signal: ask.signal };
  const replies = await client.generate(
    { kind: 'chat', messages },
    { ...options, n: samples, rolloutId: ask.rolloutId },
  );
  return Promise.all(
    replies.map((reply, i) =>
      requestStructured(
        {
          messages,
          interpret: ask.interpret,
          repairMessage: ask.repairMessage,
          send: async (conversation) => {
            const [text] = await client.generate(
              { kind: 'chat', messages: conversation },
              {
                ...options,
                repair: true,
                rolloutId: ask.rolloutId === undefined ? undefined : `${ask.rolloutId}:repair${i}`,
              },
            );
            return text ?? '';
          },
        },
        reply,
      ),
    ),
  );
}
