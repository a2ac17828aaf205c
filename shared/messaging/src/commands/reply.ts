import { ArrearsError, CommandReplySchema, ErrorCode } from '@arrears/contracts';
import { ErrorCode as NatsErrorCode, NatsError, type Msg } from 'nats';

/** What a NATS request that got no usable answer means to the caller: nobody listening, no answer in time, or down. */
export function requestFailure(error: unknown, where: { service: string; subject: string; timeoutMs: number; commandId?: string }): ArrearsError {
  const details = { service: where.service, subject: where.subject, ...(where.commandId === undefined ? {} : { commandId: where.commandId }) };
  const code = error instanceof NatsError ? error.code : undefined;
  if (code === NatsErrorCode.NoResponders) {
    return new ArrearsError(ErrorCode.UNAVAILABLE, `No ${where.service} instance is taking ${where.subject}: it is not running or not connected to NATS`, { details, cause: error });
  }
  if (code === NatsErrorCode.Timeout) {
    return new ArrearsError(
      ErrorCode.TIMEOUT,
      where.commandId === undefined
        ? `${where.service} did not answer ${where.subject} within ${where.timeoutMs} ms`
        : `${where.service} did not answer ${where.subject} within ${where.timeoutMs} ms; the command may or may not have been handled: retry with command id ${where.commandId}`,
      { details, cause: error },
    );
  }
  return new ArrearsError(ErrorCode.UNAVAILABLE, `Could not send ${where.subject}: ${error instanceof Error ? error.message : String(error)}`, { details, cause: error });
}

/** The result a `CommandReply` carries, or its error thrown as the ArrearsError it names. */
export function unwrapReply(reply: Msg, subject: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(reply.string());
  } catch {
    body = undefined;
  }
  const parsed = CommandReplySchema.safeParse(body);
  if (!parsed.success) throw new ArrearsError(ErrorCode.INTERNAL, `The reply to ${subject} is not a command reply`, { details: { reply: reply.string().slice(0, 500) } });
  if (parsed.data.ok) return parsed.data.result;
  const { code, message, field, details } = parsed.data.error;
  throw new ArrearsError(code, message, { ...(field === undefined ? {} : { field }), ...(details === undefined ? {} : { details }) });
}
