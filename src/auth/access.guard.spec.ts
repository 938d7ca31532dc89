import { ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AuthContext } from './auth-context';
import { Public } from './decorators/public.decorator';
import { RequirePermissions } from './decorators/require-permissions.decorator';
import { Permission } from './permissions';

class Routes {
  @Public() open() {}
  @RequirePermissions(Permission.CustomersRead) read() {}
  @RequirePermissions(Permission.CustomersRead, Permission.CustomersAdmin) readOrAdmin() {}
  @RequirePermissions(Permission.CustomersAdmin) admin() {}
  undeclared() {}
}

function contextFor(handler: keyof Routes, user?: Partial<AuthContext>): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

function caller(organisationId: number, ...permissions: string[]): Partial<AuthContext> {
  return { organisationId, clientId: 'c', subject: 'c', permissions: new Set(permissions) };
}

describe('AccessGuard', () => {
  const active = new Set([1]);
  const organisations = {
    isActive: jest.fn((id: number) => Promise.resolve(active.has(id))),
  };
  const guard = new AccessGuard(new Reflector(), organisations);
  beforeEach(() => organisations.isActive.mockClear());

  it('should let public routes through without a caller', async () => {
    await expect(guard.canActivate(contextFor('open'))).resolves.toBe(true);
  });

  it('should close a route that declares no permission', async () => {
    await expect(
      guard.canActivate(contextFor('undeclared', caller(1, 'customers:admin'))),
    ).rejects.toThrow(ForbiddenException);
  });

  it('should admit a partner with the permission of an active organisation', async () => {
    await expect(guard.canActivate(contextFor('read', caller(1, 'customers:read')))).resolves.toBe(
      true,
    );
    expect(organisations.isActive).toHaveBeenCalledWith(1);
  });

  it('should refuse a caller without the permission, naming it', async () => {
    await expect(guard.canActivate(contextFor('read', caller(1, 'consents:read')))).rejects.toThrow(
      /customers:read/,
    );
    expect(organisations.isActive).not.toHaveBeenCalled();
  });

  it('should accept any one of several declared permissions', async () => {
    await expect(
      guard.canActivate(contextFor('readOrAdmin', caller(1, 'customers:admin'))),
    ).resolves.toBe(true);
  });

  it('should refuse a partner of an unknown or inactive organisation, naming it', async () => {
    await expect(
      guard.canActivate(contextFor('read', caller(99, 'customers:read'))),
    ).rejects.toThrow(/Organisation 99/);
  });

  it('should let platform routes through whatever the admin organisation is', async () => {
    await expect(
      guard.canActivate(contextFor('admin', caller(99, 'customers:admin'))),
    ).resolves.toBe(true);
    expect(organisations.isActive).not.toHaveBeenCalled();
  });

  it('should check the organisation on routes open to partners and admins alike', async () => {
    await expect(
      guard.canActivate(contextFor('readOrAdmin', caller(99, 'customers:admin'))),
    ).rejects.toThrow(/Organisation 99/);
  });
});
