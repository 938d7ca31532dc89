import { Param } from '@nestjs/common';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { CustomerNumberPipe, ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { RequestCaller } from '../../common/http/request-caller';
import { ProfileResourceController } from '../profile-resource.controller';
import { GetResource } from '../resource-routes';
import { CreateNoteRequestDto, NOTES, NoteResponseDto, UpdateNoteRequestDto } from './note.dto';

const NOT_ON_TEMPORARY =
  'A temporary profile cannot have notes: 409 until it is converted to a permanent profile.';

export class NotesController extends ProfileResourceController({
  path: 'notes',
  tag: 'Profile notes',
  definition: NOTES,
  body: CreateNoteRequestDto,
  updateBody: UpdateNoteRequestDto,
  response: NoteResponseDto,
  list: {
    operationId: 'listNotes',
    summary: "List a customer's notes",
    description: 'Oldest first. Notes are deleted with the profile when it is purged.',
  },
  add: {
    operationId: 'addNote',
    summary: 'Add a note to a customer',
    description: `changedBy starts as createdBy. ${NOT_ON_TEMPORARY}`,
  },
  update: {
    operationId: 'updateNote',
    summary: 'Replace the text of a note',
    description: 'createdBy and createdAt stay; changedBy and changedAt are set.',
  },
  remove: { operationId: 'removeNote', summary: 'Remove a note of a customer' },
}) {
  /** Notes alone are read one by one. */
  @GetResource({
    operationId: 'getNote',
    summary: 'Get a note of a customer',
    type: NoteResponseDto,
  })
  get(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<NoteResponseDto> {
    return this.store.get(this.definition, caller, customerNumber, id);
  }
}
