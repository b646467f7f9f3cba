// Structured replies from models that may or may not honor a JSON schema: tolerant extraction,
// validation by the caller, and at most one repair re-ask. A reply that still fails is reported
// as a failure with its text, for the caller to record; it never becomes a value.
import { jsonrepair } from 'jsonrepair';
import type { ChatMessage } from '../../plugins/contract.js';

export type Interpretation<T> = { ok: true; value: T } | { ok: false; error: string };

export type StructuredOutcome<T> =
  | { ok: true; value: T; raw: string; repaired: boolean }
  | { ok: false; error: string; raw: string };

/** Pulls one JSON object out of a reply that may be fenced, wrapped in prose or cut off. */
export function extractJsonObject(text: string): Interpretation<unknown> {
  const fenced = /```(?:json)?\s*([\s\S]*?)(?:```|$)/i.exec(text);
  const body = fenced?.[1]?.includes('{') ? fenced[1] : text;
  const start = body.indexOf('{');
  if (start < 0) return { ok: false, error: 'the reply contains no JSON object' };
  const end = body.lastIndexOf('}');
  const candidate = end > start ? body.slice(start, end + 1) : body.slice(start);
  try {
    return { ok: true, value: JSON.parse(candidate) };
  } catch {
    // Cut-off or sloppy JSON (single quotes, trailing commas, a missing brace): repair what can be repaired.
    try {
      return { ok: true, value: JSON.parse(jsonrepair(body.slice(start))) };
    } catch (error) {
      return { ok: false, error: `the reply is not valid JSON (${(error as Error).message.split('\n')[0]})` };
    }
  }
}

export function interpretReply<T>(text: string, interpret: (value: unknown) => Interpretation<T>): Interpretation<T> {
  const json = extractJsonObject(text);
  return json.ok ? interpret(json.value) : json;
}

export interface StructuredRequest<T> {
  /** The conversation that asked for the JSON. */
  messages: ChatMessage[];
  interpret: (value: unknown) => Interpretation<T>;
  /** Sends messages, returns the reply text. */
  send: (messages: ChatMessage[]) => Promise<string>;
  /** Builds the follow-up message that asks for a corrected reply. */
  repairMessage: (error: string) => string;
}

/** One reply, validated; on failure one re-ask with the error, then a recorded failure. */
export async function requestStructured<T>(
  request: StructuredRequest<T>,
  firstReply?: string,
): Promise<StructuredOutcome<T>> {
  const raw = firstReply ?? (await request.send(request.messages));
  const first = interpretReply(raw, request.interpret);
  if (first.ok) return { ok: true, value: first.value, raw, repaired: false };
  const retryMessages: ChatMessage[] = [
    ...request.messages,
    { role: 'assistant', content: raw },
    { role: 'user', content: request.repairMessage(first.error) },
  ];
  const second = await request.send(retryMessages);
  const again = interpretReply(second, request.interpret);
  if (again.ok) return { ok: true, value: again.value, raw: second, repaired: true };
  return { ok: false, error: `${first.error}; after one repair re-ask: ${again.error}`, raw: second };
}
