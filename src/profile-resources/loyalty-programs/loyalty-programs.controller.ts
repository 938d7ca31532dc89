import { ProfileResourceController } from '../profile-resource.controller';
import {
  LOYALTY_PROGRAMS,
  LoyaltyProgramRequestDto,
  LoyaltyProgramResponseDto,
} from './loyalty-program.dto';

export class LoyaltyProgramsController extends ProfileResourceController({
  path: 'loyalty-programs',
  tag: 'Profile loyalty programs',
  definition: LOYALTY_PROGRAMS,
  body: LoyaltyProgramRequestDto,
  response: LoyaltyProgramResponseDto,
  list: { operationId: 'listLoyaltyPrograms', summary: "List a customer's loyalty programs" },
  add: {
    operationId: 'addLoyaltyProgram',
    summary: 'Add a loyalty program to a customer',
    description:
      'A temporary profile cannot have loyalty programs: 409 until it is converted to a permanent profile.',
  },
  update: {
    operationId: 'updateLoyaltyProgram',
    summary: 'Replace a loyalty program of a customer',
  },
  remove: {
    operationId: 'removeLoyaltyProgram',
    summary: 'Remove a loyalty program of a customer',
  },
}) {}
