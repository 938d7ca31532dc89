/**
 * What the access guard needs to know of the organisation registry: whether an organisation may
 * use the API. Provided by OrganisationsModule, so auth does not depend on the registry.
 */
export abstract class OrganisationStatus {
  abstract isActive(organisationId: number): Promise<boolean>;
}
