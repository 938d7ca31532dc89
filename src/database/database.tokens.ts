/** The DatabaseSettings the service runs with. */
export const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');
