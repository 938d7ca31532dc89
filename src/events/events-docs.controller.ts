import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiExcludeController, OpenAPIObject } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { AsyncApiDocument, createEventsAsyncApiDocument } from './events-asyncapi';

/**
 * The AsyncAPI document of the events, built once on first request from the v2 OpenAPI document
 * (whose CloudEvent schema it reuses); setupSwaggerUi hands over that document's source.
 */
@Injectable()
export class EventsAsyncApi {
  private openApi?: () => OpenAPIObject;
  private built?: AsyncApiDocument;

  useOpenApi(openApi: () => OpenAPIObject): void {
    this.openApi = openApi;
  }

  document(): AsyncApiDocument {
    if (!this.openApi) {
      throw new Error('The events document needs the OpenAPI document: call setupSwaggerUi');
    }
    return (this.built ??= createEventsAsyncApiDocument(this.openApi()));
  }
}

/** Public like the rest of /docs: it describes the events, it holds none. */
@ApiExcludeController()
@Public()
@Controller('docs/events')
export class EventsDocsController {
  constructor(private readonly asyncApi: EventsAsyncApi) {}

  @Get('asyncapi.json')
  document(): AsyncApiDocument {
    return this.asyncApi.document();
  }
}
