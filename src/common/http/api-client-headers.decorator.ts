import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/**
 * The header parameters the reference declares on every operation: `X-Correlation-Id` (taken or
 * generated, echoed, in every error body) and `ET-Client-Name` (the calling application, logged
 * and audited). Put it on every controller of the API.
 */
export function ApiClientHeaders(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description:
        'Correlation id of the call (1–100 letters, digits, `.`, `_`, `:` or `-`); echoed in the response and in error bodies. Generated when absent or not of that form',
      schema: { type: 'string', example: '2f1c6b1e-6f0e-4c1e-9f5e-3b7a0c9d8e21' },
    }),
    ApiHeader({
      name: 'ET-Client-Name',
      required: false,
      description:
        'The calling application, shaped `<company>-<application>` (e.g. `brakar-journeyplanner`); logged and audited (first 200 characters)',
      schema: { type: 'string', example: 'brakar-journeyplanner' },
    }),
  );
}
