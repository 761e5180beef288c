// zod/mini's functional API (`z.parse(schema, value)`) accepts classic and mini schemas alike and
// tree-shakes, so content scripts, whose protocols use zod/mini, stay small.
import * as z from 'zod/mini';
import { ForbiddenSenderError, InvalidMessageError } from '@/lib/util/exception';

/**
 * Typed, validated messaging between extension contexts.
 *
 * A protocol is a named map of methods, each with a zod schema for its `data` and its result. The
 * sending side gets a typed client; the receiving side registers one handler per method and every
 * incoming message is parsed before a handler sees it, and its sender checked. Messages of other
 * protocols are ignored, so several protocols can share `runtime.onMessage`.
 */

export interface MethodSpec {
  data: z.core.$ZodType;
  result: z.core.$ZodType;
}
export type ProtocolSpec = Record<string, MethodSpec>;

export interface Protocol<P extends ProtocolSpec> {
  readonly name: string;
  readonly methods: P;
}

/** Declares a protocol; `name` says the direction, e.g. `PanelToBackground`. */
export function defineProtocol<P extends ProtocolSpec>(name: string, methods: P): Protocol<P> {
  return { name, methods };
}

/** What travels: the protocol's name, the method and its data. */
export const EnvelopeSchema = z.object({
  protocol: z.string(),
  method: z.string(),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** What comes back: a value, or an error that crossed the boundary. */
export type Reply = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

const ReplySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ name: z.string(), message: z.string() }) }),
]);

/** An error thrown by the handler in another context, re-thrown on the calling side. */
export class RemoteError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export type Client<P extends ProtocolSpec> = {
  [K in keyof P]: (data: z.input<P[K]['data']>) => Promise<z.output<P[K]['result']>>;
};

/**
 * A typed client that sends through `send` (e.g. `runtime.sendMessage`) and validates the reply.
 */
export function createClient<P extends ProtocolSpec>(
  protocol: Protocol<P>,
  send: (envelope: Envelope) => Promise<unknown>,
): Client<P> {
  const client: Partial<Record<keyof P, (data: unknown) => Promise<unknown>>> = {};
  for (const method of Object.keys(protocol.methods) as (keyof P & string)[]) {
    const spec = protocol.methods[method]!;
    client[method] = async (data: unknown) => {
      const envelope: Envelope = { protocol: protocol.name, method, data: z.parse(spec.data, data) };
      const raw = await send(envelope);
      const reply = z.safeParse(ReplySchema, raw);
      if (!reply.success) {
        throw new InvalidMessageError(`${protocol.name}.${method}: no valid reply (${String(raw)})`);
      }
      if (!reply.data.ok) throw new RemoteError(reply.data.error.name, reply.data.error.message);
      return z.parse(spec.result, reply.data.value);
    };
  }
  return client as Client<P>;
}

export type Handlers<P extends ProtocolSpec, Sender> = {
  [K in keyof P]: (
    data: z.output<P[K]['data']>,
    sender: Sender,
  ) => Promise<z.input<P[K]['result']>> | z.input<P[K]['result']>;
};

export interface HandlerOptions<Sender> {
  /** Whether `sender` may use this protocol at all. */
  isAllowedSender: (sender: Sender) => boolean;
}

/**
 * Returns a listener for `runtime.onMessage`-style delivery: `undefined` for messages of other
 * protocols (so another listener may answer), otherwise a promise of the {@link Reply}.
 */
export function createHandler<P extends ProtocolSpec, Sender>(
  protocol: Protocol<P>,
  handlers: Handlers<P, Sender>,
  options: HandlerOptions<Sender>,
): (message: unknown, sender: Sender) => Promise<Reply> | undefined {
  return (message, sender) => {
    const envelope = z.safeParse(EnvelopeSchema, message);
    if (!envelope.success || envelope.data.protocol !== protocol.name) return undefined;
    return (async (): Promise<Reply> => {
      try {
        if (!options.isAllowedSender(sender)) {
          throw new ForbiddenSenderError(`${protocol.name}: sender not allowed`);
        }
        const { method } = envelope.data;
        if (!Object.hasOwn(protocol.methods, method)) {
          throw new InvalidMessageError(`${protocol.name}: unknown method ${method}`);
        }
        const spec = protocol.methods[method]!;
        const data = z.safeParse(spec.data, envelope.data.data);
        if (!data.success) {
          throw new InvalidMessageError(`${protocol.name}.${method}: ${z.prettifyError(data.error)}`);
        }
        const handler = handlers[method as keyof P]! as (data: unknown, sender: Sender) => unknown;
        const value: unknown = await handler(data.data, sender);
        return { ok: true, value: z.parse(spec.result, value) };
      } catch (error) {
        const { name, message } =
          error instanceof Error ? error : { name: 'Error', message: String(error) };
        return { ok: false, error: { name, message } };
      }
    })();
  };
}
