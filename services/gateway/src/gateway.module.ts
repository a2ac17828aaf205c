import { Module, type DynamicModule } from '@nestjs/common';

/**
 * The gateway's Nest module. The API's routes are registered on Fastify from the route table (routes/), one place
 * that also yields the OpenAPI document and the role matrix; health and the dashboard are Nest modules imported here.
 */
@Module({})
export class GatewayModule {
  static forRoot(imports: DynamicModule['imports'] = []): DynamicModule {
    return { module: GatewayModule, imports };
  }
}
