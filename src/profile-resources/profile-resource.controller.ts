import { Body, Controller, Inject, Param, Res, Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { CustomerNumberPipe, ResourceIdPipe } from '../common/http/parse-positive-id.pipe';
import { RequestCaller } from '../common/http/request-caller';
import { ProfileResourceStore } from './profile-resource.store';
import { ResourceDefinition } from './resource-definition';
import {
  AddResource,
  ListResources,
  PROFILE_RESOURCES_BASE,
  RemoveResource,
  UpdateResource,
} from './resource-routes';

/** The operation's entry in the API document. */
export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
}

/** One kind of sub-resource as a collection under its profile. */
export interface ProfileResourceRoutes<TAdd, TUpdate, TResponse> {
  /** The collection's path below the profile, e.g. `ecards`. */
  path: string;
  /** The API document's tag of the collection's routes. */
  tag: string;
  definition: ResourceDefinition<TResponse>;
  /** The request body of an add, and of an update unless `updateBody` names another. */
  body: Type<TAdd>;
  updateBody?: Type<TUpdate>;
  response: Type<TResponse>;
  list: OperationDoc;
  add: OperationDoc;
  update: OperationDoc;
  remove: OperationDoc;
}

/**
 * The controller of one kind of sub-resource: list, add (201 with Location), replace and remove,
 * each delegating to ProfileResourceStore. A kind's controller extends the class this returns
 * and adds what only it has (a GET of one row, a write rule that needs a service).
 */
export function ProfileResourceController<
  TAdd extends object,
  TUpdate extends object,
  TResponse extends { id: number },
>(routes: ProfileResourceRoutes<TAdd, TUpdate, TResponse>) {
  const collection = `${PROFILE_RESOURCES_BASE}/${routes.path}`;

  @ApiTags(routes.tag)
  @ApiClientHeaders()
  @Controller(collection)
  class ResourceController {
    /** The kind's table and rules; a subclass may add a write rule (see preferences). */
    protected definition: ResourceDefinition<TResponse> = routes.definition;

    constructor(@Inject(ProfileResourceStore) protected readonly store: ProfileResourceStore) {}

    @ListResources({ ...routes.list, type: routes.response })
    list(
      @CurrentCaller() caller: RequestCaller,
      @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    ): Promise<TResponse[]> {
      return this.store.list(this.definition, caller, customerNumber);
    }

    @AddResource({ ...routes.add, type: routes.response })
    async add(
      @CurrentCaller() caller: RequestCaller,
      @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
      @Body() body: TAdd,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<TResponse> {
      const created = await this.store.add(this.definition, caller, customerNumber, body);
      const location = `/customers/v2/profiles/${customerNumber}/${routes.path}/${created.id}`;
      void reply.header('location', location);
      return created;
    }

    @UpdateResource({ ...routes.update, type: routes.response })
    update(
      @CurrentCaller() caller: RequestCaller,
      @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
      @Param('id', ResourceIdPipe) id: number,
      @Body() body: TUpdate,
    ): Promise<TResponse> {
      return this.store.update(this.definition, caller, customerNumber, id, body);
    }

    @RemoveResource(routes.remove)
    remove(
      @CurrentCaller() caller: RequestCaller,
      @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
      @Param('id', ResourceIdPipe) id: number,
    ): Promise<void> {
      return this.store.remove(this.definition, caller, customerNumber, id);
    }
  }

  declareBodyType(ResourceController, 'add', 2, routes.body);
  declareBodyType(ResourceController, 'update', 3, routes.updateBody ?? routes.body);
  return ResourceController;
}

/**
 * A type parameter leaves no trace at run time, so the compiler records `Object` as the body's
 * type: name its class, which the validation pipe and the API document read.
 */
function declareBodyType(controller: Type, method: string, index: number, body: Type): void {
  const types = Reflect.getMetadata('design:paramtypes', controller.prototype, method) as Type[];
  Reflect.defineMetadata(
    'design:paramtypes',
    types.map((type, i) => (i === index ? body : type)),
    controller.prototype,
    method,
  );
}
