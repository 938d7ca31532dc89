/**
 * Who is calling: the organisation, client and permissions of the verified token, plus the
 * request's correlation id for logs, audit rows and events. Controllers get it from
 * `@CurrentCaller()`; services take it as it is.
 */
export interface RequestCaller {
  organisationId: number;
  /** `azp` (the OAuth client), else `sub`. */
  clientId: string;
  /** The `ET-Client-Name` header. */
  clientName?: string;
  correlationId: string;
  permissions: ReadonlySet<string>;
}

/** Platform administrators (`customers:admin`) may act across organisations where a route allows it. */
export function isAdmin(caller: Pick<RequestCaller, 'permissions'>): boolean {
  return caller.permissions.has('customers:admin');
}
