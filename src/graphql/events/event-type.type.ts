import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType({ description: 'An entry of the event catalog.' })
export class EventType {
  @Field() name: string;
  @Field() description: string;
  @Field(() => GraphQLJSONObject) examplePayload: Record<string, unknown>;
  @Field(() => Int, { description: 'Delay before the first attempt unless the event overrides it (call.completed: 15 s).' })
  defaultDelaySeconds: number;
}
