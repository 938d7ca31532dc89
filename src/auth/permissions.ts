export const Permission = {
  CustomersRead: 'customers:read',
  CustomersWrite: 'customers:write',
  ConsentsRead: 'consents:read',
  ConsentsWrite: 'consents:write',
  CustomersExport: 'customers:export',
  CustomersImport: 'customers:import',
  WebhooksManage: 'webhooks:manage',
  CustomersAdmin: 'customers:admin',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];
