import { Query, Resolver } from 'type-graphql';
import { EVENT_TYPES } from '../../domain/event-types';
import { EventType } from './event-type.type';

@Resolver()
export class EventTypeResolver {
  @Query(() => [EventType], { description: 'The event catalog. Subscriptions may also name a sub-event: <type>.<disposition>.' })
  eventTypes() {
    return EVENT_TYPES;
  }
}
