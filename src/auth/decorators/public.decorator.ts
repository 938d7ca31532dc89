import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/** Opts a route out of authentication. Only health, docs, metrics and the development issuer. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
