import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseRpcContext, BaseRpcExceptionFilter } from '@nestjs/microservices';
import type { JsMsg, Msg } from 'nats';
import { throwError, type Observable } from 'rxjs';

export interface EventDelivery {
  readonly service: string;
  readonly handler: string;
  /** The handler's durable consumer: the name `processOnce` records its events under, replays included. */
  readonly consumer: string;
  /** True when the event came back from the dead letters through `replayDeadLetters`. */
  readonly replay: boolean;
}

/** What `@Ctx()` gives an `@EventPattern` handler of the JetStream transport. */
export class JetStreamContext extends BaseRpcContext<[JsMsg, EventDelivery]> {
  getMessage(): JsMsg {
    return this.args[0];
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  /** 1 on the first delivery. */
  getDeliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  getHandlerName(): string {
    return this.args[1].handler;
  }

  getConsumerName(): string {
    return this.args[1].consumer;
  }

  isReplay(): boolean {
    return this.args[1].replay;
  }
}

/** What `@Ctx()` gives a `@MessagePattern` command handler of the JetStream transport. */
export class CommandContext extends BaseRpcContext<[Msg, { readonly service: string }]> {
  getMessage(): Msg {
    return this.args[0];
  }

  getSubject(): string {
    return this.args[0].subject;
  }
}

/**
 * Nest's default RPC exception filter turns every error that is not an `RpcException` into "Internal server
 * error", which would lose an ArrearsError's code and field on the way to the command reply and the dead-letter
 * headers. Registered with `app.useGlobalFilters(new ArrearsRpcExceptionFilter())`, it passes the original error
 * to this transport; errors of other transports keep Nest's default handling.
 */
@Catch()
export class ArrearsRpcExceptionFilter extends BaseRpcExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<unknown> {
    const context = host.getType() === 'rpc' ? host.switchToRpc().getContext<unknown>() : undefined;
    if (context instanceof JetStreamContext || context instanceof CommandContext) return throwError(() => exception);
    return super.catch(exception, host);
  }
}

/** The shape Nest's default filter leaves of an error: the transport says how to keep the real one. */
export function isNestUnknownError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && !(error instanceof Error) && (error as { status?: unknown }).status === 'error';
}
