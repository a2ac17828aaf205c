import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from './errors';

/**
 * Whatever Nest or Fastify answers on its own — an unknown path, a body that is not JSON, one too large — in the
 * same error shape as the API's: a stable code and a message.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const status = exception instanceof HttpException ? exception.getStatus() : ((exception as { statusCode?: number }).statusCode ?? 500);
    const message = exception instanceof Error ? exception.message : String(exception);
    const error =
      status === 404
        ? new ArrearsError(ErrorCode.NOT_FOUND, `No route ${request.method} ${request.url.split('?')[0] ?? ''}: see /docs`)
        : status < 500
          ? new ArrearsError(ErrorCode.VALIDATION_FAILED, `The request could not be read: ${message}`, { field: 'body' })
          : new ArrearsError(ErrorCode.INTERNAL, 'The gateway failed to handle the request');
    const answered = status === 404 ? 404 : status < 500 ? status : 500;
    const { body } = httpError(error, randomUUID());
    void reply.status(answered).send({ ...body, status: answered });
  }
}
