import { applyDecorators, Delete, Get, HttpCode, Post, Put, Type } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../common/http/location';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { DEACTIVATED_PROFILE_RULE } from '../profiles/profile-lifecycle';

/** Every sub-resource lives under its profile. */
export const PROFILE_RESOURCES_BASE = 'customers/v2/profiles/:customerNumber';

interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  type: Type<unknown>;
}

/** A write's description, ending with the lifecycle rule every write obeys. */
function writeDescription(doc: { description?: string }): string {
  return [doc.description, DEACTIVATED_PROFILE_RULE].filter(Boolean).join(' ');
}

const CUSTOMER_NUMBER = ApiParam({
  name: 'customerNumber',
  schema: { type: 'integer', format: 'int64', minimum: 1 },
  description: "The customer's number; another organisation's customer answers 404",
});
const RESOURCE_ID = ApiParam({
  name: 'id',
  schema: { type: 'integer', format: 'int64', minimum: 1 },
});

export function ListResources(doc: RouteDoc) {
  return applyDecorators(
    Get(),
    RequirePermissions(Permission.CustomersRead),
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: doc.description,
    }),
    CUSTOMER_NUMBER,
    ApiOkResponse({ type: [doc.type] }),
    ApiProblemResponses(400, 404),
  );
}

export function GetResource(doc: RouteDoc) {
  return applyDecorators(
    Get(':id'),
    RequirePermissions(Permission.CustomersRead),
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: doc.description,
    }),
    CUSTOMER_NUMBER,
    RESOURCE_ID,
    ApiOkResponse({ type: doc.type }),
    ApiProblemResponses(400, 404),
  );
}

export function AddResource(doc: RouteDoc) {
  return applyDecorators(
    Post(),
    HttpCode(201),
    RequirePermissions(Permission.CustomersWrite),
    Idempotent(),
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: writeDescription(doc),
    }),
    CUSTOMER_NUMBER,
    ApiCreatedResponse({
      type: doc.type,
      description: 'Added',
      headers: LOCATION_HEADER,
    }),
    ApiProblemResponses(400, 404, 409, 413, 415),
  );
}

export function UpdateResource(doc: RouteDoc) {
  return applyDecorators(
    Put(':id'),
    RequirePermissions(Permission.CustomersWrite),
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: writeDescription(doc),
    }),
    CUSTOMER_NUMBER,
    RESOURCE_ID,
    ApiOkResponse({ type: doc.type }),
    ApiProblemResponses(400, 404, 409, 413, 415),
  );
}

export function RemoveResource(doc: Omit<RouteDoc, 'type'>) {
  return applyDecorators(
    Delete(':id'),
    HttpCode(204),
    RequirePermissions(Permission.CustomersWrite),
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: writeDescription(doc),
    }),
    CUSTOMER_NUMBER,
    RESOURCE_ID,
    ApiNoContentResponse({ description: 'Removed' }),
    ApiProblemResponses(400, 404, 409),
  );
}

/**
 * Optional, but not nullable: the field may be left out (its default applies) and may not be
 * `null`, which would otherwise reach a NOT NULL column.
 */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_: unknown, value: unknown) => value !== undefined);
}
