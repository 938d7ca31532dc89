import { applyDecorators } from '@nestjs/common';
import { IsInt, IsOptional, Min } from 'class-validator';
import { ForbiddenDomainException } from './domain.exception';

/**
 * A body may name its organisation (Entur's clients send `organisationId`); it must be the
 * token's. Naming another one is refused with 403, whatever the route.
 */
export function assertOwnOrganisation(
  tokenOrganisationId: number,
  bodyOrganisationId: number | undefined | null,
): void {
  if (
    bodyOrganisationId !== undefined &&
    bodyOrganisationId !== null &&
    bodyOrganisationId !== tokenOrganisationId
  ) {
    throw new ForbiddenDomainException(
      `organisationId ${bodyOrganisationId} is not the organisation of the token (${tokenOrganisationId}); you can only act in your own organisation`,
    );
  }
}

/** An `organisationId` in a body: optional; when given it must be the token's (else 403). */
export function IsBodyOrganisationId() {
  return applyDecorators(
    IsOptional(),
    IsInt({ message: 'organisationId must be an integer' }),
    Min(1),
  );
}
