import { ProfileResourceController } from '../profile-resource.controller';
import { ECARDS, EcardRequestDto, EcardResponseDto } from './ecard.dto';

export class EcardsController extends ProfileResourceController({
  path: 'ecards',
  tag: 'Profile ecards',
  definition: ECARDS,
  body: EcardRequestDto,
  response: EcardResponseDto,
  list: { operationId: 'listEcards', summary: "List a customer's ecards" },
  add: {
    operationId: 'addEcard',
    summary: 'Add an ecard to a customer',
    description:
      'A temporary profile cannot have ecards: 409 until it is converted to a permanent profile.',
  },
  update: { operationId: 'updateEcard', summary: 'Replace an ecard of a customer' },
  remove: { operationId: 'removeEcard', summary: 'Remove an ecard of a customer' },
}) {}
