/** The `Location` header of a 201, as documented on every create. */
export const LOCATION_HEADER = {
  Location: { description: 'URL of the new resource', schema: { type: 'string' } },
};
