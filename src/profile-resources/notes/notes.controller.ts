import { Body, Controller, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AuthContext } from '../../auth/auth-context';
import { CurrentAuth } from '../../auth/decorators/current-auth.decorator';
import { CorrelationId } from '../../common/http/correlation-id.decorator';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';
import { CustomerNumberPipe, ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { ProfileResourceStore } from '../profile-resource.store';
import {
  AddResource,
  GetResource,
  ListResources,
  PROFILE_RESOURCES_BASE,
  RemoveResource,
  UpdateResource,
} from '../resource-routes';
import { CreateNoteRequestDto, NOTES, NoteResponseDto, UpdateNoteRequestDto } from './note.dto';

const NOT_ON_TEMPORARY =
  'A temporary profile cannot have notes: 409 until it is converted to a permanent profile.';

@ApiTags('Profile notes')
@ApiClientHeaders()
@Controller(`${PROFILE_RESOURCES_BASE}/notes`)
export class NotesController {
  constructor(private readonly store: ProfileResourceStore) {}

  @ListResources({
    operationId: 'listNotes',
    summary: "List a customer's notes",
    description: 'Oldest first. Notes are deleted with the profile when it is purged.',
    type: NoteResponseDto,
  })
  list(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<NoteResponseDto[]> {
    return this.store.list(NOTES, auth, customerNumber);
  }

  @GetResource({
    operationId: 'getNote',
    summary: 'Get a note of a customer',
    type: NoteResponseDto,
  })
  get(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<NoteResponseDto> {
    return this.store.get(NOTES, auth, customerNumber, id);
  }

  @AddResource({
    operationId: 'addNote',
    summary: 'Add a note to a customer',
    description: `changedBy starts as createdBy. ${NOT_ON_TEMPORARY}`,
    type: NoteResponseDto,
  })
  async add(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: CreateNoteRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NoteResponseDto> {
    const created = await this.store.add(NOTES, { auth, correlationId }, customerNumber, {
      ...body,
      changedBy: body.createdBy,
    });
    void reply.header('location', `/customers/v2/profiles/${customerNumber}/notes/${created.id}`);
    return created;
  }

  @UpdateResource({
    operationId: 'updateNote',
    summary: 'Replace the text of a note',
    description: 'createdBy and createdAt stay; changedBy and changedAt are set.',
    type: NoteResponseDto,
  })
  update(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: UpdateNoteRequestDto,
  ): Promise<NoteResponseDto> {
    return this.store.update(NOTES, { auth, correlationId }, customerNumber, id, body);
  }

  @RemoveResource({
    operationId: 'removeNote',
    summary: 'Remove a note of a customer',
  })
  remove(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<void> {
    return this.store.remove(NOTES, { auth, correlationId }, customerNumber, id);
  }
}
