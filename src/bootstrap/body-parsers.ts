import { Server } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes, FastifyRequest } from 'fastify';
import {
  DomainException,
  UnsupportedMediaTypeDomainException,
} from '../common/errors/domain.exception';
import { jsonBodyParser } from '../common/http/json-body-parser';

export const BODY_LIMIT_BYTES = 100 * 1024;

/** RFC 7396 merge patches; other `+json` types are not in the contract, so they stay 415. */
const MERGE_PATCH_TYPE = 'application/merge-patch+json';
/** JSON is UTF-8 (RFC 8259); US-ASCII is a subset of it. */
const ACCEPTED_CHARSETS = ['utf-8', 'utf8', 'us-ascii'];

/** NDJSON, streamed to the routes that take it (`@RouteConfig(ACCEPTS_NDJSON)`), never buffered. */
export const NDJSON_TYPE = 'application/x-ndjson';
export const ACCEPTS_NDJSON = { acceptsNdjson: true };

/** A route that takes real HTML form fields: `@RouteConfig(ACCEPTS_FORM_FIELDS)`. */
export const ACCEPTS_FORM_FIELDS = { acceptsFormFields: true };

type Done = (error: Error | null, body?: unknown) => void;
type BufferParser = (request: FastifyRequest, body: Buffer, done: Done) => void;

/**
 * The bodies the service reads, decided per request by Fastify's content-type parsers (so after
 * routing, whatever the spelling of the path): `application/json` and
 * `application/merge-patch+json` in UTF-8. A form or untyped body that is a JSON object is JSON
 * sent by `curl -d` without a content type; other form bodies only reach routes that take form
 * fields. Everything else is 415.
 */
export function registerBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's JSON parser behind a nesting-depth limit checked before parsing.
  const parseJson: BufferParser = jsonBodyParser(fastify);
  const options = { bodyLimit: BODY_LIMIT_BYTES };

  const json = (request: FastifyRequest, body: Buffer, done: Done) => {
    const refused = unsupportedCharset(request);
    return refused ? done(refused) : parseJson(request, body, done);
  };
  app.useBodyParser<Server>('application/json', options, json);
  app.useBodyParser<Server>(MERGE_PATCH_TYPE, options, json);

  app.useBodyParser<Server>('application/x-www-form-urlencoded', options, (request, body, done) => {
    const refused = unsupportedCharset(request);
    if (refused) {
      return done(refused);
    }
    if (looksLikeJsonObject(body)) {
      return parseJson(request, body, done);
    }
    if (acceptsFormFields(request)) {
      return parseFormFields(body, done);
    }
    done(unsupportedMediaType('a form body; send application/json'));
  });

  // The raw body stream, read by the route itself with its own limits (lines, bytes per line,
  // bytes in all); any other route answers 415 as for an unknown type.
  fastify.addContentTypeParser(NDJSON_TYPE, (request, payload, done) => {
    const refused = unsupportedCharset(request);
    if (refused) {
      return done(refused);
    }
    const config = request.routeOptions.config as { acceptsNdjson?: boolean } | undefined;
    if (request.is404 || config?.acceptsNdjson !== true) {
      payload.resume();
      return request.is404
        ? done(null, undefined)
        : done(unsupportedMediaType(`${NDJSON_TYPE} here; send application/json`));
    }
    done(null, payload);
  });

  // Fastify's own text/plain parser would hand a string to validation instead of a 415.
  fastify.removeContentTypeParser('text/plain');
  // The catch-all parser: a body without Content-Type, or of a type no parser above takes.
  fastify.addContentTypeParser('*', { parseAs: 'buffer', ...options }, (request, body, done) => {
    if (request.is404) {
      return done(null, undefined);
    }
    if (request.headers['content-type'] === undefined && looksLikeJsonObject(body as Buffer)) {
      return parseJson(request, body as Buffer, done);
    }
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE());
  });
}

/** What `curl -d '{…}'` sends; the JSON parser then decides whether it really is JSON. */
function looksLikeJsonObject(body: Buffer): boolean {
  return body.toString('utf8').trimStart().startsWith('{');
}

function acceptsFormFields(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as { acceptsFormFields?: boolean } | undefined;
  return config?.acceptsFormFields === true;
}

function parseFormFields(body: Buffer, done: Done): void {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      return done(new BadRequestException('Object contains forbidden prototype property'));
    }
    fields[key] = value;
  }
  done(null, fields);
}

function unsupportedCharset(request: FastifyRequest): DomainException | undefined {
  const charset = charsetOf(request.headers['content-type'] ?? '');
  return charset === undefined || ACCEPTED_CHARSETS.includes(charset)
    ? undefined
    : unsupportedMediaType(`charset ${JSON.stringify(charset)}; send UTF-8`);
}

/** The `charset` parameter of a Content-Type, lower-cased, without quotes. */
export function charsetOf(contentType: string): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  return match ? (match[1] ?? match[2]).toLowerCase() : undefined;
}

function unsupportedMediaType(what: string): DomainException {
  return new UnsupportedMediaTypeDomainException(`Unsupported content: ${what}`);
}
