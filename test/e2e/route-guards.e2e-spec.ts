import { Controller, Get, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC, Public } from '../../src/auth/decorators/public.decorator';
import {
  PLATFORM_ROUTE,
  REQUIRED_PERMISSIONS,
  RequirePermissions,
} from '../../src/auth/decorators/require-permissions.decorator';
import { Permission } from '../../src/auth/permissions';
import { ExpiryScheduleModule } from '../../src/expiry/expiry-schedule.module';
import { createTestApp, TestApp } from '../utils/test-app';

/**
 * Routes that may be called without a token. Anything else marked @Public() fails this suite: an
 * open customer-data route is the worst bug this service can have, so opening one must be a
 * reviewed change to this list.
 */
const PUBLIC_ALLOW_LIST = [
  /^\/health(\/|$)/,
  /^\/metrics$/,
  /^\/oauth\/token$/,
  /^\/\.well-known\/jwks\.json$/,
  /^\/docs(\/|$)/,
];

/** Modules the app imports only under some configuration; their routes are walked too. */
const CONDITIONAL_MODULES: Type[] = [ExpiryScheduleModule];

interface Route {
  method: string;
  path: string;
  controller: string;
  handler: string;
  isPublic: boolean;
  permissions: string[];
  platform: boolean;
}

function joinPaths(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [''] : Array.isArray(value) ? value : [value];
}

/** Every route a controller class declares, read from the same metadata Nest routes by. */
function routesOf(controller: Type, reflector: Reflector): Route[] {
  const prototype = controller.prototype as Record<string, unknown>;
  const routes: Route[] = [];
  for (const name of new MetadataScanner().getAllMethodNames(prototype)) {
    const handler = prototype[name] as (...args: unknown[]) => unknown;
    const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[];
    if (methodPaths === undefined) {
      continue;
    }
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    const targets = [handler, controller];
    const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const permissions = reflector.getAllAndOverride<string[]>(REQUIRED_PERMISSIONS, targets) ?? [];
    const platform = reflector.getAllAndOverride<boolean>(PLATFORM_ROUTE, targets) ?? false;
    for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
      for (const path of asList(methodPaths)) {
        routes.push({
          method,
          path: joinPaths(base, path),
          controller: controller.name,
          handler: name,
          isPublic,
          permissions,
          platform,
        });
      }
    }
  }
  return routes;
}

const isUnguarded = (r: Route) => !r.isPublic && r.permissions.length === 0;
const isOpenBeyondAllowList = (r: Route) =>
  r.isPublic && !PUBLIC_ALLOW_LIST.some((allowed) => allowed.test(r.path));

/** Fixtures that prove the checks catch what they are meant to catch. */
@Controller('customers/v2/forgotten')
class ForgottenController {
  @Get()
  list() {}

  @Public()
  @Get('open')
  open() {}

  @RequirePermissions(Permission.CustomersRead)
  @Get(['one', 'two'])
  guarded() {}
}

function describeRoute(route: Route): string {
  const access = route.isPublic
    ? 'public'
    : `${route.permissions.join(' | ') || 'NONE'}${route.platform ? ' (platform)' : ''}`;
  return `${route.method} ${route.path} -> ${access}`;
}

describe('route guard coverage', () => {
  let t: TestApp;
  let appRoutes: Route[];
  let allRoutes: Route[];

  beforeAll(async () => {
    // The development issuer on, so its routes are part of the walk.
    t = await createTestApp({ DEV_AUTH: 'true' });
    const reflector = t.app.get(Reflector);
    const controllers = new Set<Type>();
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        controllers.add(wrapper.metatype as Type);
      }
    }
    appRoutes = [...controllers].flatMap((c) => routesOf(c, reflector));
    const conditional = CONDITIONAL_MODULES.flatMap(
      (m) => (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m) as Type[] | undefined) ?? [],
    ).filter((c) => !controllers.has(c));
    allRoutes = [...appRoutes, ...conditional.flatMap((c) => routesOf(c, reflector))];
  });
  afterAll(() => t.close());

  it('should catch a forgotten guard and an unlisted @Public() route', () => {
    const routes = routesOf(ForgottenController, t.app.get(Reflector));
    expect(routes.map(describeRoute).sort()).toEqual([
      'GET /customers/v2/forgotten -> NONE',
      'GET /customers/v2/forgotten/one -> customers:read',
      'GET /customers/v2/forgotten/open -> public',
      'GET /customers/v2/forgotten/two -> customers:read',
    ]);
    expect(routes.filter(isUnguarded).map((r) => r.path)).toEqual(['/customers/v2/forgotten']);
    expect(routes.filter(isOpenBeyondAllowList).map((r) => r.path)).toEqual([
      '/customers/v2/forgotten/open',
    ]);
  });

  it('should find the routes the HTTP server really serves', () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    expect(appRoutes.length).toBeGreaterThan(5);
    const unknown = appRoutes.filter((r) => !fastify.hasRoute({ method: r.method, url: r.path }));
    expect(unknown.map(describeRoute)).toEqual([]);
    for (const expected of [
      'GET /customers/v2/organisations',
      'POST /oauth/token',
      'GET /health/ready',
    ]) {
      expect(appRoutes.map((r) => `${r.method} ${r.path}`)).toContain(expected);
    }
  });

  it('should guard every route with a declared permission unless it is explicitly public', () => {
    const unguarded = allRoutes.filter(isUnguarded);
    expect(unguarded.map(describeRoute)).toEqual([]);
  });

  it('should declare only known permissions', () => {
    const known = new Set<string>(Object.values(Permission));
    const unknown = allRoutes.filter((r) => r.permissions.some((p) => !known.has(p)));
    expect(unknown.map(describeRoute)).toEqual([]);
  });

  it('should keep @Public() to health, metrics, docs and the development issuer', () => {
    const open = allRoutes.filter(isOpenBeyondAllowList);
    expect(open.map(describeRoute)).toEqual([]);
  });

  it('should never be both public and permissioned', () => {
    const both = allRoutes.filter((r) => r.isPublic && r.permissions.length > 0);
    expect(both.map(describeRoute)).toEqual([]);
  });

  it('should serve every customer-data route behind a token', () => {
    const open = allRoutes.filter((r) => r.path.startsWith('/customers/') && r.isPublic);
    expect(open.map(describeRoute)).toEqual([]);
  });

  it('should match the reviewed route → permission table', () => {
    // A change here is a change of who may do what: review it, then update with `jest -u`.
    const table = [...new Set(allRoutes.map(describeRoute))].sort();
    expect(table).toMatchSnapshot();
  });
});
