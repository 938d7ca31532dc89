import { Readable } from 'node:stream';
import {
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ACCEPTS_NDJSON, NDJSON_TYPE } from '../bootstrap/body-parsers';
import { NoRequestTimeout } from '../bootstrap/request-timeout.interceptor';
import {
  UnsupportedMediaTypeDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../common/http/location';
import { NEXT_PAGE_LINK_HEADER, nextPageLink } from '../common/http/page-cursor';
import { GetImportQueryDto, ImportJobResponseDto, StartImportQueryDto } from './dto/import-job.dto';
import { ImportProfileLineDto } from './dto/import-profile-line.dto';
import { IMPORT_LIMITS } from './ndjson-lines';
import { ImportsService } from './imports.service';

/** An import id is a UUID; anything else is 400. */
class ImportIdPipe extends ParseUUIDPipe {
  constructor() {
    super({
      exceptionFactory: () =>
        new ValidationDomainException('id must be an import id (a UUID)', [
          { field: 'id', message: 'id must be an import id (a UUID)' },
        ]),
    });
  }
}

@ApiTags('Data import')
@ApiClientHeaders()
@ApiExtraModels(ImportProfileLineDto)
@Controller('customers/v2/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @RouteConfig(ACCEPTS_NDJSON)
  @NoRequestTimeout()
  @RequirePermissions(Permission.CustomersImport)
  @ApiOperation({
    operationId: 'startImport',
    summary: 'Import profiles in bulk from NDJSON',
    description:
      'One profile per line in the shape of POST /profiles (same rules and errorCodes), with ' +
      'postalAddresses, preferences, ecards, loyaltyPrograms, customerAccounts and givenConsents ' +
      'nested, and optionally the passwordHash of the previous system. The body is streamed and ' +
      `stored before the answer (at most ${IMPORT_LIMITS.maxLines.toLocaleString('en')} lines, ` +
      `${IMPORT_LIMITS.maxLineBytes / 1024} KiB a line, 2 GiB in all; more is 413), then a job ` +
      'writes it in batches: each line whole or not at all; a line whose e-mail or customerRef ' +
      'the organisation (or an earlier line) already has is reported as a duplicate and changes ' +
      'nothing, so importing a file again changes nothing. Follow the job at Location. ' +
      'dryRun=true reports the same without writing.',
  })
  @ApiConsumes(NDJSON_TYPE)
  @ApiBody({
    description: 'One JSON profile per line (UTF-8, `\\n` or `\\r\\n` separated)',
    schema: { $ref: getSchemaPath(ImportProfileLineDto) },
  })
  @ApiAcceptedResponse({ type: ImportJobResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 413, 415)
  async start(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: StartImportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportJobResponseDto> {
    const body = request.body;
    if (!(body instanceof Readable)) {
      throw new UnsupportedMediaTypeDomainException(
        `Unsupported content: send ${NDJSON_TYPE}, one profile per line`,
      );
    }
    const job = await this.imports.start(caller, query.dryRun === true, body);
    void reply.header('location', `/customers/v2/imports/${job.id}`);
    return job;
  }

  @Get(':id')
  @RequirePermissions(Permission.CustomersImport)
  @ApiOperation({
    operationId: 'getImport',
    summary: 'An import job: status, progress, counts and the per-line report',
    description:
      'The report lists each refused line (line number, field, legacy errorCode, message), ' +
      'invalid lines and duplicates alike, 1,000 entries a page in line order. Another ' +
      "organisation's job is 404.",
  })
  @ApiOkResponse({ type: ImportJobResponseDto, headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ImportIdPipe) id: string,
    @Query() query: GetImportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportJobResponseDto> {
    const { job, nextCursor } = await this.imports.get(caller.organisationId, id, query.cursor);
    if (nextCursor) {
      void reply.header('link', nextPageLink(request.url, nextCursor));
    }
    void reply.header('cache-control', 'no-store');
    return job;
  }
}
