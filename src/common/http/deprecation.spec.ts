import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { of } from 'rxjs';
import {
  DeprecatedRoute,
  DEPRECATION_HEADER_VALUE,
  DeprecationInterceptor,
  SUNSET_HEADER_VALUE,
} from './deprecation';

class LegacyController {
  @DeprecatedRoute('/customers/v2/profiles/:customerNumber')
  get(): void {}

  @DeprecatedRoute('')
  bare(): void {}
}

function run(handler: () => void, params: Record<string, string>) {
  const headers: Record<string, string> = {};
  const reply = {
    header: (name: string, value: string) => {
      headers[name] = value;
      return reply;
    },
  };
  const context = {
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => ({ params }), getResponse: () => reply }),
  } as unknown as ExecutionContext;
  const next = { handle: () => of('body') };
  new DeprecationInterceptor(new Reflector()).intercept(context, next);
  return headers;
}

describe('DeprecationInterceptor', () => {
  it('should send Deprecation, Sunset and a Link to the successor with path parameters filled in', () => {
    const headers = run(LegacyController.prototype.get, { customerNumber: '10000001' });
    expect(headers).toEqual({
      deprecation: DEPRECATION_HEADER_VALUE,
      sunset: SUNSET_HEADER_VALUE,
      link: '</customers/v2/profiles/10000001>; rel="successor-version"',
    });
  });

  it('should use RFC 9745 and RFC 8594 formats', () => {
    expect(DEPRECATION_HEADER_VALUE).toMatch(/^@\d+$/);
    expect(new Date(SUNSET_HEADER_VALUE).toUTCString()).toBe(SUNSET_HEADER_VALUE);
  });

  it('should leave out Link when no successor is named', () => {
    expect(run(LegacyController.prototype.bare, {})).not.toHaveProperty('link');
  });
});
