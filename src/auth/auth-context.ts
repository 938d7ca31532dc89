/** Who is calling, taken from a verified token; never from the request body. */
export interface AuthContext {
  /** `azp` (the OAuth client), else `sub`. */
  clientId: string;
  subject: string;
  organisationId: number;
  permissions: ReadonlySet<string>;
  /** The `ET-Client-Name` header, recorded in logs and audit entries. */
  clientName?: string;
}
